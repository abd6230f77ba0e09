-- The audit chain (src/modules/audit, docs/evidence.md). Every outbox event but a webhook test ping
-- becomes an audit entry of the same transaction, whoever wrote it (services, bulk SQL, the engine).
-- Writing the event stages it (audit_pending) and marks the transaction (audit_commit_marks); the
-- mark's deferred constraint trigger chains the staged events at commit. The per-tenant lock that
-- keeps the chain linear is therefore held from commit time to the end of the commit only: a
-- transaction never waits for it while holding row locks another chaining transaction could need.

-- Chains what this transaction staged, tenant by tenant in tenant order. Must hash exactly the
-- bytes src/modules/audit/audit-hash.ts describes.
CREATE FUNCTION audit_chain_pending() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t text;
  seq bigint;
  prev text;
  r record;
  snap_hash text;
  h text;
  seqs bigint[]; ats timestamptz[]; actors text[]; actions text[]; types text[]; objects text[];
  debtors text[]; event_ids text[]; snaps text[]; snap_hashes text[]; prevs text[]; hashes text[];
BEGIN
  FOR t IN SELECT DISTINCT tenant_id FROM audit_pending ORDER BY tenant_id LOOP
    -- One chain writer per tenant; tenants locked in one order, so two committers never deadlock.
    PERFORM pg_advisory_xact_lock(hashtext('relance.audit_chain'), hashtext(t));
    SELECT a.sequence, a.hash INTO seq, prev FROM audit_log a WHERE a.tenant_id = t ORDER BY a.sequence DESC LIMIT 1;
    seq := coalesce(seq, 0);
    prev := coalesce(prev, repeat('0', 64));
    seqs := '{}'; ats := '{}'; actors := '{}'; actions := '{}'; types := '{}'; objects := '{}';
    debtors := '{}'; event_ids := '{}'; snaps := '{}'; snap_hashes := '{}'; prevs := '{}'; hashes := '{}';
    FOR r IN
      SELECT p.event_id, p.actor, e.type AS action, e.object_id,
             CASE split_part(e.type, '.', 1) WHEN 'dunning' THEN 'dispatch' WHEN 'case' THEN 'dispatch' ELSE split_part(e.type, '.', 1) END AS object_type,
             date_trunc('milliseconds', e.created_at) AS occurred_at,
             coalesce(e.data -> 'object', 'null'::jsonb)::text AS snapshot,
             coalesce(e.data #>> '{object,debtor_id}',
                      CASE WHEN e.type LIKE 'debtor.%' THEN e.object_id END,
                      (SELECT d.debtor_id FROM dispatches d WHERE d.tenant_id = t AND d.dispatch_id = e.data #>> '{object,dispatch_id}'),
                      '') AS debtor_id
      FROM audit_pending p JOIN events e ON e.tenant_id = p.tenant_id AND e.event_id = p.event_id
      WHERE p.tenant_id = t
      ORDER BY p.event_id
    LOOP
      seq := seq + 1;
      snap_hash := encode(sha256(convert_to(r.snapshot, 'UTF8')), 'hex');
      h := encode(sha256(convert_to(concat_ws(E'\n',
             'relance-audit-v1', t, seq::text, to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             r.actor, r.action, r.object_type, r.object_id, r.debtor_id, r.event_id, snap_hash, prev), 'UTF8')), 'hex');
      seqs := seqs || seq; ats := ats || r.occurred_at; actors := actors || r.actor; actions := actions || r.action;
      types := types || r.object_type; objects := objects || r.object_id; debtors := debtors || r.debtor_id;
      event_ids := event_ids || r.event_id; snaps := snaps || r.snapshot; snap_hashes := snap_hashes || snap_hash;
      prevs := prevs || prev; hashes := hashes || h;
      prev := h;
    END LOOP;
    INSERT INTO audit_log (tenant_id, sequence, occurred_at, actor, action, object_type, object_id, debtor_id, event_id,
                           snapshot, snapshot_sha256, prev_hash, hash)
    SELECT t, u.seq, u.at, u.actor, u.action, u.object_type, u.object_id, nullif(u.debtor_id, ''), u.event_id,
           u.snapshot, u.snapshot_sha256, u.prev_hash, u.hash
    FROM unnest(seqs, ats, actors, actions, types, objects, debtors, event_ids, snaps, snap_hashes, prevs, hashes)
      AS u(seq, at, actor, action, object_type, object_id, debtor_id, event_id, snapshot, snapshot_sha256, prev_hash, hash);
    DELETE FROM audit_pending WHERE tenant_id = t;
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION audit_stage_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_pending (tenant_id, event_id, actor)
  SELECT n.tenant_id, n.event_id, coalesce(nullif(current_setting('app.actor', true), ''), 'system')
  FROM new_events n WHERE n.type <> 'webhook_endpoint.tested';
  IF FOUND THEN
    INSERT INTO audit_commit_marks (tenant_id, xact_id)
    SELECT DISTINCT n.tenant_id, pg_current_xact_id()::text FROM new_events n WHERE n.type <> 'webhook_endpoint.tested'
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER events_audit_stage AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION audit_stage_events();
--> statement-breakpoint
-- The first mark's trigger chains everything staged; the others find nothing left.
CREATE FUNCTION audit_seal_on_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM audit_chain_pending();
  DELETE FROM audit_commit_marks WHERE xact_id = pg_current_xact_id()::text;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER audit_commit_marks_seal AFTER INSERT ON audit_commit_marks
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_seal_on_commit();
--> statement-breakpoint
-- Append-only. The hash chain makes any change evident; this guard makes the application (and
-- anyone without the rights to drop triggers) unable to make one in the first place.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC, CURRENT_USER;
--> statement-breakpoint
-- Events written before this migration start the chain, oldest first, as system entries.
SELECT set_config('app.scope', 'system', true);
--> statement-breakpoint
INSERT INTO audit_pending (tenant_id, event_id, actor)
SELECT tenant_id, event_id, 'system:backfill' FROM events WHERE type <> 'webhook_endpoint.tested';
--> statement-breakpoint
SELECT audit_chain_pending();
