/**
 * `npm run docs:tables`: writes the parts of docs/ that are facts of the code — the shipped default
 * scenarios and the webhook event catalogue — between their `BEGIN generated` / `END generated`
 * markers. `--check` fails when a page differs (test/examples/docs-samples.test.ts runs the check),
 * so the docs cannot drift from the seed data or the catalogue.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { DEFAULT_SCENARIOS } from '../src/modules/engine/default-scenarios.js'
import { scenarioDefinitionSchema, type ChannelOption, type ScenarioStep } from '../src/modules/engine/scenario-definition.js'
import { presetOf } from '../src/modules/scenarios/scenario-defaults.js'
import { EVENT_CATALOGUE } from '../src/modules/webhooks/event-catalogue.js'

export interface GeneratedSection {
  file: string
  name: string
  render(): string
}

const code = (value: unknown) => `\`${String(value)}\``

function option(o: ChannelOption): string {
  const only = [o.debtor_kinds && `only ${o.debtor_kinds.join(', ')}`, o.requires_lre_consent && 'consumers only with LRE consent'].filter(Boolean)
  return `${code(o.channel)} (template ${code(o.template)}${only.length ? `; ${only.join('; ')}` : ''})`
}

function conditions(step: ScenarioStep): string {
  const entries = Object.entries(step.conditions)
  return entries.length ? entries.map(([k, v]) => `${code(k)}: ${code(JSON.stringify(v))}`).join(', ') : '—'
}

/** One line per array element: a definition stays readable without 150 lines of braces. */
function compactJson(value: Record<string, unknown>): string {
  const fields = Object.entries(value).map(([key, v]) =>
    Array.isArray(v) ? `  "${key}": [\n${v.map((item) => `    ${JSON.stringify(item)}`).join(',\n')}\n  ]` : `  "${key}": ${JSON.stringify(v)}`,
  )
  return `{\n${fields.join(',\n')}\n}`
}

function defaultScenarios(): string {
  const [first] = DEFAULT_SCENARIOS
  if (!first) throw new Error('no default scenario')
  const definition = scenarioDefinitionSchema.parse(first.definition)
  for (const s of DEFAULT_SCENARIOS) {
    if (JSON.stringify(scenarioDefinitionSchema.parse(s.definition)) !== JSON.stringify(definition)) {
      throw new Error(`${presetOf(s)} no longer has the same definition as ${presetOf(first)}: give it its own table`)
    }
  }
  const policy = definition.send_policy
  const lines = [
    '| preset | language | name | description |',
    '|---|---|---|---|',
    ...DEFAULT_SCENARIOS.map((s) => `| ${code(presetOf(s))} | ${code(s.language)} | ${s.name} | ${s.description} |`),
    '',
    `Both run the same definition. Steps, in order (\`offset_days\` counts from the \`anchor\`; the first channel the debtor qualifies for is used):`,
    '',
    '| # | `key` | `anchor` | `offset_days` | `channels` | `conditions` | `business_days_only` |',
    '|---|---|---|---|---|---|---|',
    ...definition.steps.map(
      (s, i) =>
        `| ${i + 1} | ${code(s.key)} | ${code(s.anchor)} | ${s.offset_days} | ${s.channels.map(option).join(', else ')} | ${conditions(s)} | ${s.business_days_only} |`,
    ),
    '',
    'Event steps:',
    '',
    '| `trigger` | `channels` |',
    '|---|---|',
    ...definition.event_steps.map((e) => `| ${code(e.trigger)} | ${e.channels.map(option).join(', else ')} |`),
    '',
    `Send policy: window ${code(policy.window_start)}–${code(policy.window_end)} in the debtor's time zone, ` +
      `\`weekdays\` ${code(JSON.stringify(policy.weekdays))}, \`min_gap_days\` ${policy.min_gap_days}, ` +
      `\`max_contacts\` ${policy.max_contacts} per \`period_days\` ${policy.period_days}, \`grouping\` ${code(policy.grouping)}.`,
    '',
    '<details><summary>The definition as stored (every default spelled out), to start your own from</summary>',
    '',
    '<!-- schema: ScenarioDefinitionInput -->',
    '```json',
    compactJson(definition),
    '```',
    '',
    '</details>',
  ]
  return lines.join('\n')
}

function eventCatalogue(): string {
  // Objects without a schema id of their own are shortened forms, named here.
  const unnamed = (type: string) =>
    type === 'dunning.step_due' ? 'Dispatch (as queued)' : type === 'case.escalated' ? 'Case (the dossier)' : type.startsWith('dispatch.') ? 'Dispatch (summary)' : 'WebhookEndpoint'
  const objectName = (type: string, schema: unknown) => (schema as { meta?: () => { id?: string } | undefined }).meta?.()?.id ?? unnamed(type)
  return [
    '| type | `data.object` | when |',
    '|---|---|---|',
    ...Object.entries(EVENT_CATALOGUE).map(([type, entry]) => `| ${code(type)} | ${objectName(type, entry.object)} | ${entry.description.replaceAll('|', '\\|')} |`),
  ].join('\n')
}

export const GENERATED_SECTIONS: GeneratedSection[] = [
  { file: 'docs/scenarios.md', name: 'default-scenarios', render: defaultScenarios },
  { file: 'docs/webhooks.md', name: 'event-catalogue', render: eventCatalogue },
]

const begin = (name: string) => `<!-- BEGIN generated: ${name} (npm run docs:tables) -->`
const end = (name: string) => `<!-- END generated: ${name} -->`

/** The page with the section replaced; throws when the markers are missing. */
export function withSection(markdown: string, section: GeneratedSection): string {
  const from = markdown.indexOf(begin(section.name))
  const to = markdown.indexOf(end(section.name))
  if (from < 0 || to < from) throw new Error(`${section.file} lacks the markers of the generated section ${section.name}`)
  return `${markdown.slice(0, from)}${begin(section.name)}\n${section.render()}\n${markdown.slice(to)}`
}

/** The sections whose committed text differs from what the code generates now. */
export async function staleSections(root = '.'): Promise<string[]> {
  const stale: string[] = []
  for (const section of GENERATED_SECTIONS) {
    const markdown = await readFile(`${root}/${section.file}`, 'utf8')
    if (withSection(markdown, section) !== markdown) stale.push(`${section.file}#${section.name}`)
  }
  return stale
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--check')) {
    const stale = await staleSections()
    if (stale.length) {
      process.stderr.write(`Out of date with the code: ${stale.join(', ')}. Run \`npm run docs:tables\` and commit.\n`)
      process.exit(1)
    }
    process.stdout.write('docs/ generated sections match the code.\n')
  } else {
    for (const section of GENERATED_SECTIONS) {
      const markdown = await readFile(section.file, 'utf8')
      await writeFile(section.file, withSection(markdown, section))
    }
    process.stdout.write(`wrote ${GENERATED_SECTIONS.map((s) => `${s.file}#${s.name}`).join(', ')}\n`)
  }
}
