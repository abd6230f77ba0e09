import { isIP } from 'node:net'
import { z } from 'zod'

function isCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/')
  const family = isIP(address ?? '')
  const prefix = Number(bits)
  return extra === undefined && family !== 0 && Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128)
}

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

/** Every environment variable Relance reads. `.env.example` documents each one. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  RELANCE_ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  RELANCE_PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  // A read replica (streaming standby) for reports and other read-only services; they read the
  // primary when unset. Reads there may lag the primary by the replication delay.
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
    .optional(),
  // The server itself (or a session-mode pool) when DATABASE_URL goes through PgBouncer in
  // transaction mode: migrations hold a session advisory lock and Agenda LISTENs, neither of which
  // survives transaction pooling. Defaults to DATABASE_URL.
  DATABASE_DIRECT_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
    .optional(),
  // Agenda's LISTEN/NOTIFY wake-ups. Off: workers find due jobs by polling every second, which is
  // all our few recurring jobs need; turn off behind a transaction pooler without DATABASE_DIRECT_URL.
  RELANCE_JOB_NOTIFICATIONS: booleanish.default(true),
  RELANCE_DATA_DIR: z.string().min(1).default('.relance'),
  // Where proof files go: in their database row (default) or in files under RELANCE_PROOF_DIR.
  RELANCE_PROOF_STORAGE: z.enum(['postgres', 'filesystem']).default('postgres'),
  RELANCE_PROOF_DIR: z.string().min(1).optional(),
  RELANCE_EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  RELANCE_BOOTSTRAP_KEY: z
    .string()
    .regex(/^rl_platform_[A-Za-z0-9]{24,}$/, 'must look like rl_platform_ followed by at least 24 letters or digits')
    .optional(),
  RELANCE_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 32 bytes written as 64 hex characters')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RELANCE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  RELANCE_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  // Slow or oversized clients (docs/api.md, Limits): all the request line and headers within the
  // headers timeout, the whole request (body included) within the request timeout, no more than
  // the idle timeout without a byte either way, header bytes and header count capped.
  RELANCE_HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  RELANCE_HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(300_000),
  RELANCE_HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
  RELANCE_HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(72_000),
  RELANCE_HTTP_MAX_HEADER_BYTES: z.coerce.number().int().min(1024).max(1_048_576).default(16_384),
  RELANCE_HTTP_MAX_HEADERS: z.coerce.number().int().min(10).max(2000).default(100),
  // Schedule rows per set-based pass (engine.tick, dispatch.pump): up to this many worker processes split one pass.
  RELANCE_WORKER_SLOTS: z.coerce.number().int().min(1).max(64).default(1),
  RELANCE_JOB_LOCK_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  RELANCE_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  RELANCE_GRAPHIQL: booleanish.optional(),
  // Above this many lines (or with `Prefer: respond-async`) a bulk request runs as an import job.
  RELANCE_BULK_SYNC_MAX_LINES: z.coerce.number().int().min(1).max(100_000).default(10_000),
  // Lines per transaction: big enough for set-based SQL, small enough to keep locks short.
  RELANCE_BULK_CHUNK_SIZE: z.coerce.number().int().min(1).max(10_000).default(2_000),
  RELANCE_CHANNEL_DRIVERS: z.string().optional(),
  // Outside production `npm start` runs the provider simulators in-process unless set to false.
  RELANCE_SANDBOX_SIMULATORS: booleanish.optional(),
  RELANCE_SANDBOX_AR24_URL: z.url().optional(),
  RELANCE_SANDBOX_PRINT_MAIL_API_URL: z.url().optional(),
  RELANCE_SANDBOX_PRINT_MAIL_AUTH_URL: z.url().optional(),
  RELANCE_DISPATCH_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  RELANCE_DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
  RELANCE_PRESCRIPTION_ALERT_DAYS: z.coerce.number().int().min(1).max(1000).default(90),
  // Webhook URLs may not reach private networks (SSRF); these ranges are let through anyway, for
  // local development and the tests (e.g. 127.0.0.1/32). Never set in production.
  RELANCE_WEBHOOK_ALLOWED_CIDRS: z
    .string()
    .refine((v) => v.split(',').every((c) => isCidr(c.trim())), 'must be comma-separated CIDR ranges such as 127.0.0.1/32,10.0.0.0/8')
    .optional(),
})

/** Cross-field rules, checked after each variable parsed on its own. */
const refinedEnvSchema = envSchema.superRefine((env, ctx) => {
  if (env.RELANCE_HTTP_HEADERS_TIMEOUT_MS > env.RELANCE_HTTP_REQUEST_TIMEOUT_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['RELANCE_HTTP_HEADERS_TIMEOUT_MS'],
      message: `must not exceed RELANCE_HTTP_REQUEST_TIMEOUT_MS (${env.RELANCE_HTTP_REQUEST_TIMEOUT_MS}): the headers are part of the request`,
    })
  }
})

export type Env = z.infer<typeof envSchema>

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Parses the environment once; a bad value names the variable and what is wrong with it. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = refinedEnvSchema.safeParse(cleaned)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    )
  }
  return parsed.data
}
