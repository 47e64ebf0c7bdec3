-- Data only: survey recovery cases used to log the profile event `case.created`; every case kind now
-- opens through CaseService.open and logs `case.opened` with its `caseType`. Rename the stored events.
UPDATE "Interaction"
SET "payload" = "payload" || '{"type": "case.opened", "caseType": "recovery"}'::jsonb
WHERE "payload"->>'type' = 'case.created';
