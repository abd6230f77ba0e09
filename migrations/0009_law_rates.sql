CREATE TABLE "law_rates" (
	"series" text NOT NULL,
	"valid_from" date NOT NULL,
	"rate" numeric(9, 6) NOT NULL,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "law_rates_series_valid_from_pk" PRIMARY KEY("series","valid_from"),
	CONSTRAINT "law_rates_rate_non_negative" CHECK ("law_rates"."rate" >= 0)
);
--> statement-breakpoint
ALTER TABLE "law_rates" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "law_rates_read_by_all" ON "law_rates" AS PERMISSIVE FOR SELECT TO public USING (true);--> statement-breakpoint
CREATE POLICY "law_rates_written_by_system" ON "law_rates" AS PERMISSIVE FOR INSERT TO public WITH CHECK (current_setting('app.scope', true) = 'system');--> statement-breakpoint
-- Published ECB main refinancing operations rates, by the date each decision took effect.
INSERT INTO "law_rates" ("series", "valid_from", "rate", "source") VALUES
	('ecb_main_refinancing', '2016-03-16', 0, 'ECB monetary policy decision of 10 March 2016'),
	('ecb_main_refinancing', '2022-07-27', 0.5, 'ECB monetary policy decision of 21 July 2022'),
	('ecb_main_refinancing', '2022-09-14', 1.25, 'ECB monetary policy decision of 8 September 2022'),
	('ecb_main_refinancing', '2022-11-02', 2, 'ECB monetary policy decision of 27 October 2022'),
	('ecb_main_refinancing', '2022-12-21', 2.5, 'ECB monetary policy decision of 15 December 2022'),
	('ecb_main_refinancing', '2023-02-08', 3, 'ECB monetary policy decision of 2 February 2023'),
	('ecb_main_refinancing', '2023-03-22', 3.5, 'ECB monetary policy decision of 16 March 2023'),
	('ecb_main_refinancing', '2023-05-10', 3.75, 'ECB monetary policy decision of 4 May 2023'),
	('ecb_main_refinancing', '2023-06-21', 4, 'ECB monetary policy decision of 15 June 2023'),
	('ecb_main_refinancing', '2023-08-02', 4.25, 'ECB monetary policy decision of 27 July 2023'),
	('ecb_main_refinancing', '2023-09-20', 4.5, 'ECB monetary policy decision of 14 September 2023'),
	('ecb_main_refinancing', '2024-06-12', 4.25, 'ECB monetary policy decision of 6 June 2024'),
	('ecb_main_refinancing', '2024-09-18', 3.65, 'ECB monetary policy decision of 12 September 2024'),
	('ecb_main_refinancing', '2024-10-23', 3.4, 'ECB monetary policy decision of 17 October 2024'),
	('ecb_main_refinancing', '2024-12-18', 3.15, 'ECB monetary policy decision of 12 December 2024'),
	('ecb_main_refinancing', '2025-02-05', 2.9, 'ECB monetary policy decision of 30 January 2025'),
	('ecb_main_refinancing', '2025-03-12', 2.65, 'ECB monetary policy decision of 6 March 2025'),
	('ecb_main_refinancing', '2025-04-23', 2.4, 'ECB monetary policy decision of 17 April 2025'),
	('ecb_main_refinancing', '2025-06-11', 2.15, 'ECB monetary policy decision of 5 June 2025');
--> statement-breakpoint
-- Taux de l'intérêt légal (art. L313-2 C. monét. fin.), set per half-year by arrêté.
INSERT INTO "law_rates" ("series", "valid_from", "rate", "source") VALUES
	('fr_legal_interest_professional_creditor', '2022-01-01', 0.76, 'Arrêté (JORF), taux de l''intérêt légal du 1er semestre 2022'),
	('fr_legal_interest_professional_creditor', '2022-07-01', 0.77, 'Arrêté (JORF), taux de l''intérêt légal du 2e semestre 2022'),
	('fr_legal_interest_professional_creditor', '2023-01-01', 2.06, 'Arrêté (JORF), taux de l''intérêt légal du 1er semestre 2023'),
	('fr_legal_interest_professional_creditor', '2023-07-01', 4.22, 'Arrêté (JORF), taux de l''intérêt légal du 2e semestre 2023'),
	('fr_legal_interest_professional_creditor', '2024-01-01', 5.07, 'Arrêté (JORF), taux de l''intérêt légal du 1er semestre 2024'),
	('fr_legal_interest_professional_creditor', '2024-07-01', 4.92, 'Arrêté (JORF), taux de l''intérêt légal du 2e semestre 2024'),
	('fr_legal_interest_professional_creditor', '2025-01-01', 3.71, 'Arrêté (JORF), taux de l''intérêt légal du 1er semestre 2025'),
	('fr_legal_interest_professional_creditor', '2025-07-01', 2.76, 'Arrêté (JORF), taux de l''intérêt légal du 2e semestre 2025'),
	('fr_legal_interest_individual_creditor', '2022-01-01', 3.13, 'Arrêté (JORF), taux de l''intérêt légal du 1er semestre 2022'),
	('fr_legal_interest_individual_creditor', '2022-07-01', 3.15, 'Arrêté (JORF), taux de l''intérêt légal du 2e semestre 2022'),
	('fr_legal_interest_individual_creditor', '2023-01-01', 4.47, 'Arrêté (JORF), taux de l''intérêt légal du 1er semestre 2023'),
	('fr_legal_interest_individual_creditor', '2023-07-01', 6.82, 'Arrêté (JORF), taux de l''intérêt légal du 2e semestre 2023'),
	('fr_legal_interest_individual_creditor', '2024-01-01', 8.01, 'Arrêté (JORF), taux de l''intérêt légal du 1er semestre 2024'),
	('fr_legal_interest_individual_creditor', '2024-07-01', 8.16, 'Arrêté (JORF), taux de l''intérêt légal du 2e semestre 2024'),
	('fr_legal_interest_individual_creditor', '2025-01-01', 7.21, 'Arrêté (JORF), taux de l''intérêt légal du 1er semestre 2025'),
	('fr_legal_interest_individual_creditor', '2025-07-01', 6.65, 'Arrêté (JORF), taux de l''intérêt légal du 2e semestre 2025');
