// GSM 03.38 default alphabet and its extension table (each extension character costs two septets).
const GSM7 =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
const GSM7_EXTENDED = '^{}\\[~]|€\f'

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2'
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number
  segments: number
}

/**
 * How many SMS a text costs: 160 GSM-7 septets fit one message, 153 per part once concatenated;
 * any character outside GSM-7 switches the whole text to UCS-2 (70, then 67 per part). Providers
 * bill per part, so the dispatch records this.
 */
export function countSmsSegments(text: string): SmsSegments {
  let septets = 0
  let gsm = true
  for (const char of text) {
    if (GSM7.includes(char)) septets += 1
    else if (GSM7_EXTENDED.includes(char)) septets += 2
    else gsm = false
  }
  if (gsm) return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) }
  const units = text.length
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) }
}
