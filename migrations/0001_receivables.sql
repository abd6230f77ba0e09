CREATE TABLE "events" (
	"tenant_id" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"object_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_tenant_id_event_id_pk" PRIMARY KEY("tenant_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "debtors" (
	"tenant_id" text NOT NULL,
	"debtor_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"siren" text,
	"siret" text,
	"vat_number" text,
	"country" text NOT NULL,
	"language" text NOT NULL,
	"timezone" text NOT NULL,
	"segment" text,
	"contacts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"address" jsonb,
	"lre_consent_on" date,
	"lre_consent_means" text,
	"scenario_id" text,
	"external_ref" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "debtors_tenant_id_debtor_id_pk" PRIMARY KEY("tenant_id","debtor_id")
);
--> statement-breakpoint
ALTER TABLE "debtors" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "invoice_documents" (
	"tenant_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"content" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"content_type" text NOT NULL,
	"filename" text NOT NULL,
	"size" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_documents_tenant_id_invoice_id_pk" PRIMARY KEY("tenant_id","invoice_id")
);
--> statement-breakpoint
ALTER TABLE "invoice_documents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "invoices" (
	"tenant_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"debtor_id" text NOT NULL,
	"number" text NOT NULL,
	"currency" text NOT NULL,
	"amount_total" bigint NOT NULL,
	"amount_tax" bigint DEFAULT 0 NOT NULL,
	"amount_net" bigint NOT NULL,
	"amount_paid" bigint DEFAULT 0 NOT NULL,
	"amount_credited" bigint DEFAULT 0 NOT NULL,
	"issue_date" date NOT NULL,
	"due_date" date NOT NULL,
	"payment_terms_days" integer,
	"payment_link" text,
	"status" text DEFAULT 'open' NOT NULL,
	"paid_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"written_off_at" timestamp with time zone,
	"pdf_sha256" text,
	"external_ref" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_tenant_id_invoice_id_pk" PRIMARY KEY("tenant_id","invoice_id")
);
--> statement-breakpoint
ALTER TABLE "invoices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "allocations" (
	"tenant_id" text NOT NULL,
	"allocation_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"payment_id" text,
	"credit_note_id" text,
	"amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reversed_at" timestamp with time zone,
	CONSTRAINT "allocations_tenant_id_allocation_id_pk" PRIMARY KEY("tenant_id","allocation_id"),
	CONSTRAINT "allocations_one_source" CHECK (("allocations"."payment_id" is null) <> ("allocations"."credit_note_id" is null)),
	CONSTRAINT "allocations_amount_positive" CHECK ("allocations"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "allocations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "credit_notes" (
	"tenant_id" text NOT NULL,
	"credit_note_id" text NOT NULL,
	"debtor_id" text NOT NULL,
	"number" text NOT NULL,
	"amount" bigint NOT NULL,
	"amount_applied" bigint DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"issue_date" date NOT NULL,
	"reason" text,
	"external_ref" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_notes_tenant_id_credit_note_id_pk" PRIMARY KEY("tenant_id","credit_note_id"),
	CONSTRAINT "credit_notes_amount_positive" CHECK ("credit_notes"."amount" > 0),
	CONSTRAINT "credit_notes_applied_within_amount" CHECK ("credit_notes"."amount_applied" between 0 and "credit_notes"."amount")
);
--> statement-breakpoint
ALTER TABLE "credit_notes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "payments" (
	"tenant_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"debtor_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"amount_applied" bigint DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"received_on" date NOT NULL,
	"method" text,
	"reference" text,
	"reversed_at" timestamp with time zone,
	"reversal_reason" text,
	"external_ref" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_tenant_id_payment_id_pk" PRIMARY KEY("tenant_id","payment_id"),
	CONSTRAINT "payments_amount_positive" CHECK ("payments"."amount" > 0),
	CONSTRAINT "payments_applied_within_amount" CHECK ("payments"."amount_applied" between 0 and "payments"."amount")
);
--> statement-breakpoint
ALTER TABLE "payments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "holds" (
	"tenant_id" text NOT NULL,
	"hold_id" text NOT NULL,
	"kind" text NOT NULL,
	"debtor_id" text NOT NULL,
	"invoice_id" text,
	"status" text DEFAULT 'active' NOT NULL,
	"reason_code" text,
	"note" text,
	"promised_amount" bigint,
	"promised_currency" text,
	"promised_date" date,
	"expires_on" date,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"external_ref" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "holds_tenant_id_hold_id_pk" PRIMARY KEY("tenant_id","hold_id")
);
--> statement-breakpoint
ALTER TABLE "holds" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "payment_plan_instalments" (
	"tenant_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"due_date" date NOT NULL,
	"amount" bigint NOT NULL,
	"amount_paid" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	CONSTRAINT "payment_plan_instalments_tenant_id_plan_id_sequence_pk" PRIMARY KEY("tenant_id","plan_id","sequence")
);
--> statement-breakpoint
ALTER TABLE "payment_plan_instalments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "payment_plans" (
	"tenant_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"debtor_id" text NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"invoice_ids" text[] NOT NULL,
	"breached_at" timestamp with time zone,
	"external_ref" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_plans_tenant_id_plan_id_pk" PRIMARY KEY("tenant_id","plan_id")
);
--> statement-breakpoint
ALTER TABLE "payment_plans" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "imports" (
	"tenant_id" text NOT NULL,
	"import_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"lines_total" integer DEFAULT 0 NOT NULL,
	"lines_done" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "imports_tenant_id_import_id_pk" PRIMARY KEY("tenant_id","import_id")
);
--> statement-breakpoint
ALTER TABLE "imports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invoice_documents" ADD CONSTRAINT "invoice_documents_tenant_id_invoice_id_invoices_tenant_id_invoice_id_fk" FOREIGN KEY ("tenant_id","invoice_id") REFERENCES "public"."invoices"("tenant_id","invoice_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_tenant_id_debtor_id_debtors_tenant_id_debtor_id_fk" FOREIGN KEY ("tenant_id","debtor_id") REFERENCES "public"."debtors"("tenant_id","debtor_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_tenant_id_invoice_id_invoices_tenant_id_invoice_id_fk" FOREIGN KEY ("tenant_id","invoice_id") REFERENCES "public"."invoices"("tenant_id","invoice_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_tenant_id_payment_id_payments_tenant_id_payment_id_fk" FOREIGN KEY ("tenant_id","payment_id") REFERENCES "public"."payments"("tenant_id","payment_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_tenant_id_credit_note_id_credit_notes_tenant_id_credit_note_id_fk" FOREIGN KEY ("tenant_id","credit_note_id") REFERENCES "public"."credit_notes"("tenant_id","credit_note_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_tenant_id_debtor_id_debtors_tenant_id_debtor_id_fk" FOREIGN KEY ("tenant_id","debtor_id") REFERENCES "public"."debtors"("tenant_id","debtor_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_tenant_id_debtor_id_debtors_tenant_id_debtor_id_fk" FOREIGN KEY ("tenant_id","debtor_id") REFERENCES "public"."debtors"("tenant_id","debtor_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_tenant_id_debtor_id_debtors_tenant_id_debtor_id_fk" FOREIGN KEY ("tenant_id","debtor_id") REFERENCES "public"."debtors"("tenant_id","debtor_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_plan_instalments" ADD CONSTRAINT "payment_plan_instalments_tenant_id_plan_id_payment_plans_tenant_id_plan_id_fk" FOREIGN KEY ("tenant_id","plan_id") REFERENCES "public"."payment_plans"("tenant_id","plan_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_plans" ADD CONSTRAINT "payment_plans_tenant_id_debtor_id_debtors_tenant_id_debtor_id_fk" FOREIGN KEY ("tenant_id","debtor_id") REFERENCES "public"."debtors"("tenant_id","debtor_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_created_idx" ON "events" USING btree ("created_at","event_id");--> statement-breakpoint
CREATE INDEX "events_tenant_object_idx" ON "events" USING btree ("tenant_id","object_id");--> statement-breakpoint
CREATE UNIQUE INDEX "debtors_tenant_external_ref_key" ON "debtors" USING btree ("tenant_id","external_ref");--> statement-breakpoint
CREATE INDEX "debtors_tenant_segment_idx" ON "debtors" USING btree ("tenant_id","segment");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_tenant_external_ref_key" ON "invoices" USING btree ("tenant_id","external_ref");--> statement-breakpoint
CREATE INDEX "invoices_tenant_debtor_idx" ON "invoices" USING btree ("tenant_id","debtor_id","due_date");--> statement-breakpoint
CREATE INDEX "invoices_tenant_status_due_idx" ON "invoices" USING btree ("tenant_id","status","due_date");--> statement-breakpoint
CREATE INDEX "allocations_tenant_invoice_idx" ON "allocations" USING btree ("tenant_id","invoice_id");--> statement-breakpoint
CREATE INDEX "allocations_tenant_payment_idx" ON "allocations" USING btree ("tenant_id","payment_id");--> statement-breakpoint
CREATE INDEX "allocations_tenant_credit_note_idx" ON "allocations" USING btree ("tenant_id","credit_note_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_notes_tenant_external_ref_key" ON "credit_notes" USING btree ("tenant_id","external_ref");--> statement-breakpoint
CREATE INDEX "credit_notes_tenant_debtor_idx" ON "credit_notes" USING btree ("tenant_id","debtor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_tenant_external_ref_key" ON "payments" USING btree ("tenant_id","external_ref");--> statement-breakpoint
CREATE INDEX "payments_tenant_debtor_idx" ON "payments" USING btree ("tenant_id","debtor_id");--> statement-breakpoint
CREATE INDEX "holds_tenant_debtor_idx" ON "holds" USING btree ("tenant_id","debtor_id","status");--> statement-breakpoint
CREATE INDEX "holds_tenant_invoice_idx" ON "holds" USING btree ("tenant_id","invoice_id");--> statement-breakpoint
CREATE POLICY "events_tenant_isolation" ON "events" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "debtors_tenant_isolation" ON "debtors" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "invoice_documents_tenant_isolation" ON "invoice_documents" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "invoices_tenant_isolation" ON "invoices" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "allocations_tenant_isolation" ON "allocations" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "credit_notes_tenant_isolation" ON "credit_notes" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "payments_tenant_isolation" ON "payments" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "holds_tenant_isolation" ON "holds" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "payment_plan_instalments_tenant_isolation" ON "payment_plan_instalments" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "payment_plans_tenant_isolation" ON "payment_plans" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');--> statement-breakpoint
CREATE POLICY "imports_tenant_isolation" ON "imports" AS PERMISSIVE FOR ALL TO public USING (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system') WITH CHECK (tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system');