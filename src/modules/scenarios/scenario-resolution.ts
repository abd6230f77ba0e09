import type { Tx } from '../../db/client.js'
import type { DEBTOR_KINDS } from '../debtors/debtor-fields.js'
import { scenarioDefinitionSchema, type ScenarioDefinition } from '../engine/scenario-definition.js'
import { ensureDefaultScenarios } from './scenario-defaults.js'
import { ruleMatches } from './scenario-rules.conditions.js'
import { rulesInOrder } from './scenario-rules.repository.js'
import { findAssignable, type CurrentScenario } from './scenarios.repository.js'

/** One invoice to find a scenario for. */
export interface ScenarioSubject {
  /** A scenario named on the invoice itself; wins over everything else. */
  invoiceScenarioId?: string | null
  debtor: { scenarioId: string | null; segment: string | null; kind: (typeof DEBTOR_KINDS)[number] }
  /** Minor units of `currency`: what rules' min_amount / max_amount compare with (inclusive). */
  amount: number
  currency: string
}

export type ScenarioSource = 'invoice' | 'debtor' | 'rule' | 'default'

export interface ResolvedScenario {
  scenarioId: string
  /** The current version: the one a new case starts on and keeps. */
  version: number
  definition: ScenarioDefinition
  /** Which level chose it, and the rule when a rule did. */
  source: ScenarioSource
  ruleId: string | null
}

/**
 * Stored definitions were checked when written; parsing again fills defaults added to the schema
 * since. Should a later, stricter schema refuse an old one, the stored one still runs as it did.
 */
export function definitionOf(current: CurrentScenario): ScenarioDefinition {
  const parsed = scenarioDefinitionSchema.safeParse(current.definition)
  return parsed.success ? parsed.data : current.definition
}

function resolved(current: CurrentScenario, source: ScenarioSource, ruleId: string | null = null): ResolvedScenario {
  return { scenarioId: current.scenario.scenarioId, version: current.scenario.currentVersion, definition: definitionOf(current), source, ruleId }
}

/**
 * The scenario of each subject, in order: the invoice's override, else the debtor's, else the
 * first assignment rule (by priority) whose conditions hold, else the tenant default. Overrides and
 * rules naming a scenario that is archived or does not exist are passed over. A tenant without any
 * scenario gets Relance's defaults seeded first. A fixed number of statements whatever the number
 * of subjects: two (rules, candidate scenarios), plus a handful the one time it seeds.
 */
export async function resolveScenarios(tx: Tx, tenantId: string, subjects: readonly ScenarioSubject[]): Promise<ResolvedScenario[]> {
  if (!subjects.length) return []
  const rules = await rulesInOrder(tx, tenantId)
  const named = new Set(rules.map((r) => r.scenarioId))
  for (const s of subjects) {
    if (s.invoiceScenarioId) named.add(s.invoiceScenarioId)
    if (s.debtor.scenarioId) named.add(s.debtor.scenarioId)
  }
  const candidates = await findAssignable(tx, tenantId, [...named])
  const active = new Map(candidates.map((c) => [c.scenario.scenarioId, c]))
  const cache = new Map<string, ResolvedScenario>()
  const once = (current: CurrentScenario, source: ScenarioSource, ruleId: string | null = null) => {
    const key = `${current.scenario.scenarioId}/${source}/${ruleId}`
    if (!cache.has(key)) cache.set(key, resolved(current, source, ruleId))
    return cache.get(key)!
  }

  const chosen = subjects.map((s): ResolvedScenario | null => {
    const invoice = s.invoiceScenarioId ? active.get(s.invoiceScenarioId) : undefined
    if (invoice) return once(invoice, 'invoice')
    const debtor = s.debtor.scenarioId ? active.get(s.debtor.scenarioId) : undefined
    if (debtor) return once(debtor, 'debtor')
    const facts = { segment: s.debtor.segment, kind: s.debtor.kind, amount: s.amount, currency: s.currency }
    const rule = rules.find((r) => active.has(r.scenarioId) && ruleMatches(r.conditions, facts))
    return rule ? once(active.get(rule.scenarioId)!, 'rule', rule.ruleId) : null
  })
  if (chosen.every((c) => c !== null)) return chosen

  let fallback = candidates.find((c) => c.scenario.isDefault)
  if (!fallback) {
    await ensureDefaultScenarios(tx, tenantId)
    fallback = (await findAssignable(tx, tenantId, [])).find((c) => c.scenario.isDefault)
    if (!fallback) throw new Error(`Tenant ${tenantId} has no default scenario even after seeding`)
  }
  const byDefault = once(fallback, 'default')
  return chosen.map((c) => c ?? byDefault)
}

/** resolveScenarios for one invoice. */
export async function resolveScenario(tx: Tx, tenantId: string, subject: ScenarioSubject): Promise<ResolvedScenario> {
  const [one] = await resolveScenarios(tx, tenantId, [subject])
  return one!
}
