import { Liquid, Tag, type TagToken, type Template, type TopLevelToken } from 'liquidjs'
import { formatDate, formatMoney, formatPercent } from './format.js'

/**
 * Tenants write these templates, so the Liquid engine is locked down: no file system (an empty
 * in-memory template set, and include/render/layout refused at parse time), own properties only,
 * unknown filters fail at save time, and CPU/memory limits so a loop cannot stall a dispatch batch.
 * Missing variables render as empty (strictVariables off): a template that names an optional
 * field (promise, instalment) works for every step.
 */
class ForbiddenTag extends Tag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid)
    throw new Error(`The {% ${token.name} %} tag is not available in Relance templates (no file access)`)
  }
  render(): void {}
}

function createEngine(escapeHtml: boolean): Liquid {
  const engine = new Liquid({
    templates: {},
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: false,
    dynamicPartials: false,
    outputEscape: escapeHtml ? 'escape' : undefined,
    parseLimit: 200_000,
    renderLimit: 1_000,
    memoryLimit: 20_000_000,
  })
  for (const tag of ['include', 'render', 'layout']) engine.registerTag(tag, ForbiddenTag)
  // Formatting filters; they read the message language from the context (`language`).
  const language = (ctx: { getSync(paths: string[]): unknown }) => String(ctx.getSync(['language']) ?? 'fr')
  engine.registerFilter('money', function (minor: unknown, currency: unknown) {
    const amount = Number(minor)
    if (!Number.isSafeInteger(amount) || typeof currency !== 'string') return ''
    return formatMoney(amount, currency, language(this.context))
  })
  engine.registerFilter('format_date', function (date: unknown) {
    return typeof date === 'string' ? formatDate(date, language(this.context)) : ''
  })
  engine.registerFilter('percent', function (rate: unknown) {
    return typeof rate === 'string' && /^\d+(\.\d+)?$/.test(rate) ? formatPercent(rate, language(this.context)) : ''
  })
  return engine
}

const engines = { html: createEngine(true), plain: createEngine(false) }
export type OutputKind = keyof typeof engines

/** Parsed templates by source: the dispatch loop renders the same few templates thousands of times. */
const parsed = new Map<string, Template[]>()
const PARSE_CACHE_SIZE = 2_000

export class TemplateSyntaxError extends Error {
  override name = 'TemplateSyntaxError'
}

export function parseTemplate(source: string, kind: OutputKind): Template[] {
  const cacheKey = `${kind}\u0000${source}`
  let templates = parsed.get(cacheKey)
  if (!templates) {
    try {
      templates = engines[kind].parse(source)
    } catch (error) {
      throw new TemplateSyntaxError(error instanceof Error ? error.message : String(error))
    }
    // Insertion-ordered Map: dropping the oldest entry keeps the cache bounded.
    if (parsed.size >= PARSE_CACHE_SIZE) parsed.delete(parsed.keys().next().value!)
    parsed.set(cacheKey, templates)
  }
  return templates
}

export class TemplateRenderError extends Error {
  override name = 'TemplateRenderError'
}

export function renderTemplate(source: string, kind: OutputKind, context: object): string {
  const templates = parseTemplate(source, kind)
  try {
    return String(engines[kind].renderSync(templates, context))
  } catch (error) {
    throw new TemplateRenderError(error instanceof Error ? error.message : String(error))
  }
}
