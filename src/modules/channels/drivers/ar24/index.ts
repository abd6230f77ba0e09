export { Ar24Driver } from './ar24-driver.js'
export { AR24_SANDBOX_URL } from './ar24-client.js'
export { decryptResponse, encryptResponse, parisDateTime, signDate, verifySignature } from './ar24-signing.js'
