import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ChannelDriver } from './channel-driver.js'
import { Ar24Driver } from './drivers/ar24/index.js'
import { CaptureDriver } from './drivers/capture.js'
import { PrintMailDriver } from './drivers/print-mail/index.js'
import { SmsHttpDriver } from './drivers/sms-http.js'

/**
 * The drivers Relance can send through: the built-in ones and any plug-in named in
 * RELANCE_CHANNEL_DRIVERS (a package name or a path to a module whose default export, or `driver`
 * export, implements ChannelDriver). Drivers are tenant-agnostic: a connection says which to use.
 */
export class DriverRegistry {
  private readonly drivers = new Map<string, ChannelDriver>()

  constructor(drivers: ChannelDriver[]) {
    for (const driver of drivers) this.register(driver)
  }

  register(driver: ChannelDriver): void {
    if (this.drivers.has(driver.name)) throw new Error(`Two channel drivers are named ${driver.name}`)
    this.drivers.set(driver.name, driver)
  }

  get(name: string): ChannelDriver | undefined {
    return this.drivers.get(name)
  }

  names(): string[] {
    return [...this.drivers.keys()].sort()
  }
}

function isDriver(value: unknown): value is ChannelDriver {
  const d = value as Partial<ChannelDriver> | null
  return !!d && typeof d.name === 'string' && Array.isArray(d.channels) && typeof d.send === 'function' && typeof d.lookup === 'function'
}

export async function loadPluginDriver(specifier: string): Promise<ChannelDriver> {
  const target = specifier.startsWith('.') || specifier.startsWith('/') ? pathToFileURL(path.resolve(specifier)).href : specifier
  const module = (await import(target)) as { default?: unknown; driver?: unknown }
  const driver = module.default ?? module.driver
  if (!isDriver(driver)) throw new Error(`${specifier} does not export a ChannelDriver (default or \`driver\` export)`)
  return driver
}

export function builtInDrivers(): ChannelDriver[] {
  return [new CaptureDriver(), new SmsHttpDriver(), new Ar24Driver(), new PrintMailDriver()]
}

export async function createDriverRegistry(plugins: string[] = []): Promise<DriverRegistry> {
  const registry = new DriverRegistry(builtInDrivers())
  for (const specifier of plugins) registry.register(await loadPluginDriver(specifier))
  return registry
}
