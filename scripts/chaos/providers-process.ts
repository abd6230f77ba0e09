/**
 * The providers of the kill -9 run in a process of their own, so that their counters outlive
 * every worker killed and are what a recipient would see: an SMTP server (messages per
 * `X-Relance-Dispatch-Id`), the AR24 simulator (mails created per `custom_ref`) and the print-mail
 * simulator (sendings submitted per `custom_id`). Clocks frozen, no callbacks: the run is about
 * sending. IPC: `ready` with the addresses and credentials, then `counts` on request.
 */
import { startAr24Simulator } from '../../src/sandbox/ar24-simulator.js'
import { startPrintMailSimulator } from '../../src/sandbox/print-mail-simulator.js'
import { startSmtpSink } from '../bench/smtp-sink.js'

export interface ProviderAddresses {
  smtpPort: number
  ar24: { apiUrl: string; credentials: Record<string, string> }
  printMail: { apiUrl: string; authUrl: string; credentials: Record<string, string> }
}

/** What each provider received, per our dispatch id. */
export interface ProviderCounts {
  smtp: Record<string, number>
  ar24: Record<string, number>
  printMail: Record<string, number>
}

export type ProvidersReport = { counts: ProviderCounts; smtpMessageIdMismatches: string[] }

export type ProvidersMessage = { type: 'ready'; addresses: ProviderAddresses } | ({ type: 'counts' } & ProvidersReport)

const smtp = await startSmtpSink()
const ar24 = await startAr24Simulator({ timeScale: 0 })
const printMail = await startPrintMailSimulator({ timeScale: 0 })

const send = (message: ProvidersMessage) => process.send!(message)
process.on('message', (m: { type: string }) => {
  if (m.type === 'counts') {
    const counts = { smtp: smtp.byDispatch(), ar24: { ...ar24.stats.sendsByRef }, printMail: { ...printMail.stats.sendsByRef } }
    send({ type: 'counts', counts, smtpMessageIdMismatches: smtp.messageIdMismatches() })
  }
  if (m.type === 'stop') void Promise.all([smtp.close(), ar24.close(), printMail.close()]).then(() => process.exit(0))
})
process.on('disconnect', () => process.exit(0))
send({
  type: 'ready',
  addresses: {
    smtpPort: smtp.port,
    ar24: { apiUrl: ar24.apiUrl, credentials: ar24.credentials },
    printMail: { apiUrl: printMail.apiUrl, authUrl: printMail.authUrl, credentials: printMail.credentials },
  },
})
