import { startAr24Simulator } from './ar24-simulator.js'
import { startPrintMailSimulator } from './print-mail-simulator.js'

export interface RunningSimulators {
  ar24Url: string
  printMailApiUrl: string
  printMailAuthUrl: string
  close(): Promise<void>
}

/**
 * Both provider simulators inside the server's own process, calling back its sandbox callback
 * routes: what `npm start` runs outside production so a sandbox tenant's registered letters go
 * somewhere real (over HTTP, with the providers' protocols) without any setup.
 */
export async function startSimulatorsInProcess(appBaseUrl: string): Promise<RunningSimulators> {
  const ar24 = await startAr24Simulator({ callbackUrl: `${appBaseUrl}/v1/channel-callbacks/sandbox-ar24` })
  const printMail = await startPrintMailSimulator({ callbackUrl: `${appBaseUrl}/v1/channel-callbacks/sandbox-print-mail` })
  return {
    ar24Url: ar24.apiUrl,
    printMailApiUrl: printMail.apiUrl,
    printMailAuthUrl: printMail.authUrl,
    close: async () => {
      await Promise.all([ar24.close(), printMail.close()])
    },
  }
}
