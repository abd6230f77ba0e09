/**
 * `npm run sandbox`: the AR24 and print-mail simulators on local ports, with the connection
 * settings and credentials a sandbox channel connection should use.
 *
 *   npm run sandbox -- --ar24-port 4024 --print-mail-port 4025 \
 *     --ar24-callback http://127.0.0.1:3000/... --print-mail-callback http://127.0.0.1:3000/... --time-scale 0
 * Env equivalents: SANDBOX_AR24_PORT, SANDBOX_PRINT_MAIL_PORT, SANDBOX_AR24_CALLBACK_URL,
 * SANDBOX_PRINT_MAIL_CALLBACK_URL, SANDBOX_TIME_SCALE (simulated seconds per real second; 0 = frozen).
 */
import { parseArgs } from 'node:util'
import { startAr24Simulator } from '../src/sandbox/ar24-simulator.js'
import { startPrintMailSimulator } from '../src/sandbox/print-mail-simulator.js'

const { values } = parseArgs({
  options: {
    'ar24-port': { type: 'string', default: process.env.SANDBOX_AR24_PORT ?? '4024' },
    'print-mail-port': { type: 'string', default: process.env.SANDBOX_PRINT_MAIL_PORT ?? '4025' },
    'ar24-callback': { type: 'string', default: process.env.SANDBOX_AR24_CALLBACK_URL },
    'print-mail-callback': { type: 'string', default: process.env.SANDBOX_PRINT_MAIL_CALLBACK_URL },
    'time-scale': { type: 'string', default: process.env.SANDBOX_TIME_SCALE },
  },
})
const timeScale = values['time-scale'] === undefined ? undefined : Number(values['time-scale'])

const ar24 = await startAr24Simulator({ port: Number(values['ar24-port']), callbackUrl: values['ar24-callback'], timeScale })
const printMail = await startPrintMailSimulator({ port: Number(values['print-mail-port']), callbackUrl: values['print-mail-callback'], timeScale })

const show = (value: unknown) => JSON.stringify(value, null, 2).replace(/\n/g, '\n    ')
process.stdout.write(`
  Relance provider sandbox

  AR24 simulator:        ${ar24.url}   (callbacks → ${values['ar24-callback'] ?? 'none; POST /_sandbox/callback {"url"} to set'})
    connection driver "ar24", settings ${show({ base_url: ar24.apiUrl })}
    credentials ${show(ar24.credentials)}

  Print-mail simulator:  ${printMail.url}   (callbacks → ${values['print-mail-callback'] ?? 'none; subscribe via notification_center/v2/subscriptions'})
    connection driver "print-mail", settings ${show({ api_url: printMail.apiUrl, auth_url: printMail.authUrl })}
    credentials ${show(printMail.credentials)}

  Outcomes follow the recipient e-mail / address: refuse, negligence, bounce, pnd-a23 (any pnd-<code>),
  reject (provider error), maintenance (try later); anything else is delivered.
  Time: POST <simulator>/_sandbox/advance {"days": n} or {"to": "<ISO time>"}; stats at POST /_sandbox/stats.
  Ctrl-C stops both.
`)

const stop = async () => {
  await Promise.all([ar24.close(), printMail.close()])
  process.exit(0)
}
process.once('SIGINT', () => void stop())
process.once('SIGTERM', () => void stop())
