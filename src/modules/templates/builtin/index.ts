import type { Channel } from '../../engine/scenario-definition.js'
import type { BuiltinTemplate } from '../template-fields.js'
import { EN_TEMPLATES } from './en.js'
import { FR_TEMPLATES } from './fr.js'

export const BUILTIN_TEMPLATES: readonly BuiltinTemplate[] = [...FR_TEMPLATES, ...EN_TEMPLATES]
export const BUILTIN_LANGUAGES = ['fr', 'en'] as const

const byKey = new Map(BUILTIN_TEMPLATES.map((t) => [`${t.key}:${t.channel}:${t.language}`, t]))

export function findBuiltin(key: string, channel: Channel, language: string): BuiltinTemplate | undefined {
  return byKey.get(`${key}:${channel}:${language}`)
}
