ALTER TABLE "invoices" ADD COLUMN "scenario_id" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "prescription_alerted_at" timestamp with time zone;