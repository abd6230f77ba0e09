import type { PostalAddress } from '../channels/channel-driver.js'

/**
 * An address as the lines printed on an envelope (NF Z10-011): the given lines, then postcode and
 * city in capitals, then the country in capitals when mail crosses a border (omitted at home).
 */
export function addressLines(address: PostalAddress | undefined, homeCountry = 'FR'): string[] {
  if (!address) return []
  const lines = address.lines.filter((line) => line.trim() !== '')
  lines.push(`${address.postcode} ${address.city.toUpperCase()}`.trim())
  if (address.country && address.country.toUpperCase() !== homeCountry.toUpperCase()) {
    lines.push(countryName(address.country).toUpperCase())
  }
  return lines
}

function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['fr'], { type: 'region' }).of(code.toUpperCase()) ?? code
  } catch {
    return code
  }
}
