-- Runs once when the compose PostgreSQL volume is created. Relance connects as a role that is not
-- a superuser, so row-level security applies to it (superusers bypass every policy).
create role relance with login password 'relance' nosuperuser nocreatedb;
create database relance owner relance;
