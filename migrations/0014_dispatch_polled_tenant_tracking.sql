ALTER TABLE "tenants" ADD COLUMN "tracking_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dispatches" ADD COLUMN "polled_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "dispatches_sent_poll_idx" ON "dispatches" USING btree ("polled_at") WHERE status = 'sent';