DROP INDEX "dispatch_proofs_locator_key";--> statement-breakpoint
CREATE UNIQUE INDEX "dispatch_proofs_locator_key" ON "dispatch_proofs" USING btree ("tenant_id","dispatch_id",md5("locator"));