CREATE TABLE "dispatch_events" (
	"tenant_id" text NOT NULL,
	"event_id" text NOT NULL,
	"dispatch_id" text NOT NULL,
	"status" text,
	"raw_status" text NOT NULL,
	"reason" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dispatch_events_tenant_id_event_id_pk" PRIMARY KEY("tenant_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "dispatch_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "dispatch_proofs" (
	"tenant_id" text NOT NULL,
	"proof_id" text NOT NULL,
	"dispatch_id" text NOT NULL,
	"kind" text NOT NULL,
	"locator" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"storage" text DEFAULT 'postgres' NOT NULL,
	"content" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dispatch_proofs_tenant_id_proof_id_pk" PRIMARY KEY("tenant_id","proof_id")
);
--> statement-breakpoint
ALTER TABLE "dispatch_proofs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "channel_connections" (
	"tenant_id" text NOT NULL,
	"connection_id" text NOT NULL,
	"name" text NOT NULL,
	"driver" text NOT NULL,
	"channels" text[] NOT NULL,
	"mode" text NOT NULL,
	"credentials_sealed" text NOT NULL,
	"credential_hints" jsonb NOT NULL,
	"settings" jsonb NOT NULL,
	"sender" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"external_ref" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_connections_tenant_id_connection_id_pk" PRIMARY KEY("tenant_id","connection_id")
);
--> statement-breakpoint
ALTER TABLE "channel_connections" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tasks" (
	"tenant_id" text NOT NULL,
	"task_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"dispatch_id" text NOT NULL,
	"debtor_id" text NOT NULL,
	"invoice_ids" text[] NOT NULL,
	"script" text NOT NULL,
	"phone" text,
	"outcome" text,
	"note" text,
	"promised_amount" integer,
	"promised_date" date,
	"hold_id" text,
	"completed_at" timestamp with time zone,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tasks_tenant_id_task_id_pk" PRIMARY KEY("tenant_id","task_id")
);
--> statement-breakpoint
ALTER TABLE "tasks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "templates" (
	"tenant_id" text NOT NULL,
	"template_id" text NOT NULL,
	"key" text NOT NULL,
	"channel" text NOT NULL,
	"language" text NOT NULL,
	"fields" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "templates_tenant_id_template_id_pk" PRIMARY KEY("tenant_id","template_id")
);
--> statement-breakpoint
ALTER TABLE "templates" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"tenant_id" text NOT NULL,
	"attempt_id" text NOT NULL,
	"delivery_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"attempt" integer NOT NULL,
	"succeeded" boolean NOT NULL,
	"status_code" integer,
	"latency_ms" integer NOT NULL,
	"response_body" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_attempts_tenant_id_attempt_id_pk" PRIMARY KEY("tenant_id","attempt_id")
);
--> statement-breakpoint
ALTER TABLE "webhook_attempts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"tenant_id" text NOT NULL,
	"delivery_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"event_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"retry_step" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_tenant_id_delivery_id_pk" PRIMARY KEY("tenant_id","delivery_id")
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"tenant_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"url" text NOT NULL,
	"description" text,
	"enabled_events" text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"disabled_at" timestamp with time zone,
	"secret_sealed" text NOT NULL,
	"previous_secret_sealed" text,
	"previous_secret_expires_at" timestamp with time zone,
	"failing_since" timestamp with time zone,
	"external_ref" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoints_tenant_id_endpoint_id_pk" PRIMARY KEY("tenant_id","endpoint_id")
);
--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "webhook_event_queue" (
	"tenant_id" text NOT NULL,
	"event_id" text NOT NULL,
	"seq" bigserial NOT NULL,
	CONSTRAINT "webhook_event_queue_tenant_id_event_id_pk" PRIMARY KEY("tenant_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "webhook_event_queue" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "webhook_signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_key_sealed" text NOT NULL,
	"signs_from" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_signing_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "scenario_id" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "prescription_alerted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "connection_id" text;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "driver" text;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "provider_ref" text;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "sending_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "failure_code" text;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "cost_amount" integer;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "cost_currency" text;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "content" jsonb;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "letter_sha256" text;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_tenant_id_endpoint_id_webhook_endpoints_tenant_id_endpoint_id_fk" FOREIGN KEY ("tenant_id","endpoint_id") REFERENCES "public"."webhook_endpoints"("tenant_id","endpoint_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_tenant_id_endpoint_id_webhook_endpoints_tenant_id_endpoint_id_fk" FOREIGN KEY ("tenant_id","endpoint_id") REFERENCES "public"."webhook_endpoints"("tenant_id","endpoint_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dispatch_events_dispatch_idx" ON "dispatch_events" USING btree ("tenant_id","dispatch_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "dispatch_events_once_key" ON "dispatch_events" USING btree ("tenant_id","dispatch_id","raw_status","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "dispatch_proofs_locator_key" ON "dispatch_proofs" USING btree ("tenant_id","dispatch_id","locator");--> statement-breakpoint
CREATE UNIQUE INDEX "channel_connections_external_ref_key" ON "channel_connections" USING btree ("tenant_id","external_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_dispatch_key" ON "tasks" USING btree ("tenant_id","dispatch_id");--> statement-breakpoint
CREATE INDEX "tasks_open_idx" ON "tasks" USING btree ("tenant_id","created_at") WHERE status = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "templates_tenant_key_channel_language_key" ON "templates" USING btree ("tenant_id","key","channel","language");--> statement-breakpoint
CREATE INDEX "webhook_attempts_endpoint_idx" ON "webhook_attempts" USING btree ("tenant_id","endpoint_id","attempt_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at","delivery_id") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("tenant_id","endpoint_id","status","created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_event_idx" ON "webhook_deliveries" USING btree ("tenant_id","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_endpoints_tenant_external_ref_key" ON "webhook_endpoints" USING btree ("tenant_id","external_ref");--> statement-breakpoint
CREATE INDEX "webhook_event_queue_seq_idx" ON "webhook_event_queue" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "dispatches_sending_idx" ON "dispatches" USING btree ("sending_since") WHERE status = 'sending';--> statement-breakpoint
CREATE UNIQUE INDEX "dispatches_provider_ref_key" ON "dispatches" USING btree ("tenant_id","driver","provider_ref");--> statement-breakpoint
CREATE POLICY "dispatch_events_tenant_isolation" ON "dispatch_events" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "dispatch_proofs_tenant_isolation" ON "dispatch_proofs" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "channel_connections_tenant_isolation" ON "channel_connections" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "tasks_tenant_isolation" ON "tasks" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "templates_tenant_isolation" ON "templates" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "webhook_attempts_tenant_isolation" ON "webhook_attempts" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "webhook_deliveries_tenant_isolation" ON "webhook_deliveries" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "webhook_endpoints_tenant_isolation" ON "webhook_endpoints" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "webhook_event_queue_tenant_isolation" ON "webhook_event_queue" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "webhook_signing_keys_system_only" ON "webhook_signing_keys" AS PERMISSIVE FOR ALL TO public USING (current_setting('app.scope', true) = 'system') WITH CHECK (current_setting('app.scope', true) = 'system');