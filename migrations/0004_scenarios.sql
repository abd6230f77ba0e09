CREATE TABLE "scenario_assignment_rules" (
	"tenant_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"priority" integer NOT NULL,
	"scenario_id" text NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"external_ref" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scenario_assignment_rules_tenant_id_rule_id_pk" PRIMARY KEY("tenant_id","rule_id")
);
--> statement-breakpoint
ALTER TABLE "scenario_assignment_rules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "scenario_versions" (
	"tenant_id" text NOT NULL,
	"scenario_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scenario_versions_tenant_id_scenario_id_version_pk" PRIMARY KEY("tenant_id","scenario_id","version")
);
--> statement-breakpoint
ALTER TABLE "scenario_versions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "scenarios" (
	"tenant_id" text NOT NULL,
	"scenario_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"language" text NOT NULL,
	"current_version" integer DEFAULT 1 NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"preset" text,
	"archived_at" timestamp with time zone,
	"external_ref" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scenarios_tenant_id_scenario_id_pk" PRIMARY KEY("tenant_id","scenario_id")
);
--> statement-breakpoint
ALTER TABLE "scenarios" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "scenario_assignment_rules" ADD CONSTRAINT "scenario_assignment_rules_tenant_id_scenario_id_scenarios_tenant_id_scenario_id_fk" FOREIGN KEY ("tenant_id","scenario_id") REFERENCES "public"."scenarios"("tenant_id","scenario_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenario_versions" ADD CONSTRAINT "scenario_versions_tenant_id_scenario_id_scenarios_tenant_id_scenario_id_fk" FOREIGN KEY ("tenant_id","scenario_id") REFERENCES "public"."scenarios"("tenant_id","scenario_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "scenario_assignment_rules_tenant_external_ref_key" ON "scenario_assignment_rules" USING btree ("tenant_id","external_ref");--> statement-breakpoint
CREATE INDEX "scenario_assignment_rules_tenant_priority_idx" ON "scenario_assignment_rules" USING btree ("tenant_id","priority","rule_id");--> statement-breakpoint
CREATE INDEX "scenario_assignment_rules_tenant_scenario_idx" ON "scenario_assignment_rules" USING btree ("tenant_id","scenario_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scenarios_tenant_external_ref_key" ON "scenarios" USING btree ("tenant_id","external_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "scenarios_tenant_preset_key" ON "scenarios" USING btree ("tenant_id","preset");--> statement-breakpoint
CREATE UNIQUE INDEX "scenarios_one_default_key" ON "scenarios" USING btree ("tenant_id") WHERE is_default;--> statement-breakpoint
CREATE POLICY "scenario_assignment_rules_tenant_isolation" ON "scenario_assignment_rules" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "scenario_versions_tenant_isolation" ON "scenario_versions" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "scenarios_tenant_isolation" ON "scenarios" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');