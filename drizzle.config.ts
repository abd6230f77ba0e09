import { defineConfig } from 'drizzle-kit'

// drizzle-kit only reads the schema to diff it; it never connects here.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
})
