ALTER TABLE "payment_plans" ADD COLUMN "settled_at_start" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "holds_tenant_external_ref_key" ON "holds" USING btree ("tenant_id","external_ref");--> statement-breakpoint
CREATE INDEX "holds_active_end_idx" ON "holds" USING btree (coalesce("expires_on", "promised_date")) WHERE "holds"."status" = 'active';--> statement-breakpoint
CREATE INDEX "payment_plan_instalments_pending_due_idx" ON "payment_plan_instalments" USING btree ("due_date") WHERE "payment_plan_instalments"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "payment_plans_tenant_external_ref_key" ON "payment_plans" USING btree ("tenant_id","external_ref");--> statement-breakpoint
CREATE INDEX "payment_plans_tenant_debtor_idx" ON "payment_plans" USING btree ("tenant_id","debtor_id");--> statement-breakpoint
CREATE INDEX "payment_plans_active_invoices_idx" ON "payment_plans" USING gin ("invoice_ids") WHERE "payment_plans"."status" = 'active';