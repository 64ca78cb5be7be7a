module github.com/digitaal-vlaanderen/magda-sla-bot

go 1.26.0

require github.com/rickar/cal/v2 v2.1.13
