CREATE TABLE "audit_commit_marks" (
	"tenant_id" text NOT NULL,
	"xact_id" text NOT NULL,
	CONSTRAINT "audit_commit_marks_tenant_id_xact_id_pk" PRIMARY KEY("tenant_id","xact_id")
);
--> statement-breakpoint
ALTER TABLE "audit_commit_marks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "audit_log" (
	"tenant_id" text NOT NULL,
	"sequence" bigint NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"debtor_id" text,
	"event_id" text NOT NULL,
	"snapshot" text NOT NULL,
	"snapshot_sha256" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_log_tenant_id_sequence_pk" PRIMARY KEY("tenant_id","sequence")
);
--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "audit_pending" (
	"tenant_id" text NOT NULL,
	"event_id" text NOT NULL,
	"actor" text NOT NULL,
	CONSTRAINT "audit_pending_tenant_id_event_id_pk" PRIMARY KEY("tenant_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "audit_pending" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_event_key" ON "audit_log" USING btree ("tenant_id","event_id");--> statement-breakpoint
CREATE INDEX "audit_log_object_idx" ON "audit_log" USING btree ("tenant_id","object_id","sequence");--> statement-breakpoint
CREATE INDEX "audit_log_debtor_idx" ON "audit_log" USING btree ("tenant_id","debtor_id","sequence");--> statement-breakpoint
CREATE POLICY "audit_commit_marks_tenant_isolation" ON "audit_commit_marks" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "audit_log_tenant_isolation" ON "audit_log" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "audit_pending_tenant_isolation" ON "audit_pending" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');