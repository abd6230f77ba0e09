CREATE TABLE "test_clocks" (
	"tenant_id" text NOT NULL,
	"clock_id" text NOT NULL,
	"name" text NOT NULL,
	"frozen_time" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'ready' NOT NULL,
	"attached" boolean DEFAULT true NOT NULL,
	"external_ref" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "test_clocks_tenant_id_clock_id_pk" PRIMARY KEY("tenant_id","clock_id")
);
--> statement-breakpoint
ALTER TABLE "test_clocks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "dispatch_items" (
	"tenant_id" text NOT NULL,
	"dispatch_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"case_id" text NOT NULL,
	"step_key" text NOT NULL,
	CONSTRAINT "dispatch_items_tenant_id_dispatch_id_invoice_id_pk" PRIMARY KEY("tenant_id","dispatch_id","invoice_id")
);
--> statement-breakpoint
ALTER TABLE "dispatch_items" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "dispatches" (
	"tenant_id" text NOT NULL,
	"dispatch_id" text NOT NULL,
	"debtor_id" text NOT NULL,
	"step_key" text NOT NULL,
	"channel" text NOT NULL,
	"template" text NOT NULL,
	"language" text NOT NULL,
	"scenario_id" text NOT NULL,
	"scenario_version" integer NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dispatches_tenant_id_dispatch_id_pk" PRIMARY KEY("tenant_id","dispatch_id")
);
--> statement-breakpoint
ALTER TABLE "dispatches" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "next_action_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "dunning_scenario_id" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "dunning_version" integer;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "dunning_step" integer DEFAULT -1 NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "dunning_step_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "dunning_outcome" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "case_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "test_clocks_tenant_external_ref_key" ON "test_clocks" USING btree ("tenant_id","external_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "test_clocks_one_attached_key" ON "test_clocks" USING btree ("tenant_id") WHERE attached;--> statement-breakpoint
CREATE UNIQUE INDEX "dispatch_items_case_step_key" ON "dispatch_items" USING btree ("tenant_id","case_id","step_key");--> statement-breakpoint
CREATE INDEX "dispatches_tenant_debtor_idx" ON "dispatches" USING btree ("tenant_id","debtor_id","created_at");--> statement-breakpoint
CREATE INDEX "dispatches_queued_idx" ON "dispatches" USING btree ("scheduled_at") WHERE status = 'queued';--> statement-breakpoint
CREATE INDEX "invoices_next_action_idx" ON "invoices" USING btree ("next_action_at") WHERE next_action_at is not null;--> statement-breakpoint
CREATE POLICY "test_clocks_tenant_isolation" ON "test_clocks" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "dispatch_items_tenant_isolation" ON "dispatch_items" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "dispatches_tenant_isolation" ON "dispatches" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');