export { PrintMailDriver } from './print-mail-driver.js'
export { MAILEVA_SANDBOX } from './print-mail-client.js'
export { subscribePrintMailCallbacks } from './print-mail-subscriptions.js'
