-- Fan-out queue for webhooks: every event of a tenant with an enabled endpoint gets a queue row in
-- the transaction that writes the event (any writer: emitEvents, bulk SQL, the engine). One
-- statement-level insert per INSERT on events, so bulk loads pay one set-based insert, not a row each.
CREATE FUNCTION webhook_queue_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_event_queue (tenant_id, event_id)
  SELECT n.tenant_id, n.event_id FROM new_events n
  WHERE EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.tenant_id = n.tenant_id AND w.enabled)
  ORDER BY n.event_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER events_webhook_queue AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION webhook_queue_events();
--> statement-breakpoint
-- GET /v1/events?type=… pages by event id within a tenant and type.
CREATE INDEX IF NOT EXISTS events_tenant_type_idx ON events (tenant_id, type, event_id);
