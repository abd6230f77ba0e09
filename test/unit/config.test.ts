import t from 'tap'
import { ConfigError, loadEnv } from '../../src/config/env.js'

t.test('defaults make a working development setup', async (t) => {
  const env = loadEnv({})
  t.equal(env.RELANCE_ROLE, 'all')
  t.equal(env.PORT, 3000)
  t.equal(env.DATABASE_URL, undefined, 'no DATABASE_URL means embedded PostgreSQL')
  t.equal(env.RELANCE_DATA_DIR, '.relance')
})

t.test('every bad value is named with what is wrong', async (t) => {
  try {
    loadEnv({ PORT: '70000', DATABASE_URL: 'mysql://x', RELANCE_SECRET_KEY: 'short', RELANCE_BOOTSTRAP_KEY: 'rl_live_x' })
    t.fail('should throw')
  } catch (error) {
    t.ok(error instanceof ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    t.match(problems, /PORT: .*65535/)
    t.match(problems, /DATABASE_URL: must be a postgres:\/\//)
    t.match(problems, /RELANCE_SECRET_KEY: must be 32 bytes/)
    t.match(problems, /RELANCE_BOOTSTRAP_KEY: must look like rl_platform_/)
  }
})

t.test('empty variables count as unset', async (t) => {
  t.equal(loadEnv({ DATABASE_URL: '' }).DATABASE_URL, undefined)
})

t.test('HTTP limits have defaults, and a headers timeout longer than the request timeout is refused', async (t) => {
  const env = loadEnv({})
  t.same(
    [env.RELANCE_HTTP_HEADERS_TIMEOUT_MS, env.RELANCE_HTTP_REQUEST_TIMEOUT_MS, env.RELANCE_HTTP_IDLE_TIMEOUT_MS, env.RELANCE_HTTP_MAX_HEADER_BYTES, env.RELANCE_HTTP_MAX_HEADERS],
    [10_000, 300_000, 120_000, 16_384, 100],
  )
  const problemsOf = (source: Record<string, string>) => {
    try {
      loadEnv(source)
      return ''
    } catch (error) {
      return (error as ConfigError).problems.join('\n')
    }
  }
  t.match(problemsOf({ RELANCE_HTTP_HEADERS_TIMEOUT_MS: '20000', RELANCE_HTTP_REQUEST_TIMEOUT_MS: '5000' }), /RELANCE_HTTP_HEADERS_TIMEOUT_MS: must not exceed RELANCE_HTTP_REQUEST_TIMEOUT_MS/)
  t.match(problemsOf({ RELANCE_HTTP_MAX_HEADERS: '5' }), /RELANCE_HTTP_MAX_HEADERS: /)
})
