package sla

// Dimension is one of the three axes of the priority matrix (R4.3).
type Dimension int

// The dimensions of R4.3, in the order of the table.
const (
	Scope Dimension = iota
	Users
	Security
)

// Dimensions lists the three dimensions in table order.
var Dimensions = [3]Dimension{Scope, Users, Security}

// Name gives the dimension's English and Dutch names.
func (d Dimension) Name(dutch bool) string {
	names := [3][2]string{
		{"Scope", "Omvang"},
		{"Users", "Gebruikers"},
		{"Security / privacy / reputation", "Veiligheid / privacy / reputatie"},
	}
	if d < Scope || d > Security {
		return ""
	}
	if dutch {
		return names[d][1]
	}
	return names[d][0]
}

// Criterion gives the R4.3 text of one cell of the matrix, in English or Dutch.
func Criterion(d Dimension, p Priority, dutch bool) string {
	if d < Scope || d > Security || p < P1 || p > P4 {
		return ""
	}
	c := matrix[p-1][d]
	if dutch {
		return c[1]
	}
	return c[0]
}

// matrix holds the R4.3 table: [priority-1][dimension]{English, Dutch}.
var matrix = [4][3][2]string{
	{
		{"The whole service is unavailable or unusable, or soon will be and urgent measures are needed",
			"De volledige service is onbeschikbaar of onbruikbaar, of wordt dat snel en dringende maatregelen zijn nodig"},
		{"More than 50% of users affected (or a few VIP users), the number grows fast, or data is not available",
			"Meer dan 50% van de gebruikers geïmpacteerd (of enkele VIP-gebruikers), het aantal stijgt snel, of data zijn niet ter beschikking"},
		{"Data actively threatened or infected by malware, data available but corrupt, or immediate measures needed",
			"Data actief bedreigd of door malware geïnfecteerd, data ter beschikking maar corrupt, of onmiddellijke maatregelen vereist"},
	},
	{
		{"A large part of the services is impacted at user level, or the impact grows with time",
			"Een groot deel van de services is geïmpacteerd op gebruikersniveau, of de impact neemt toe met de tijd"},
		{"Some users (<50%) affected, not growing",
			"Een aantal gebruikers (<50%) geïmpacteerd, aantal stijgt niet"},
		{"Data probably actively threatened, security/privacy impact imminent, some data possibly corrupt, or the risk will rise with time",
			"Data waarschijnlijk actief bedreigd, veiligheids- of privacy-impact imminent, sommige data mogelijk corrupt, of het risico stijgt met de tijd"},
	},
	{
		{"The service is unavailable now and then for a few minutes, partly usable, or a small part is impacted",
			"De service is af en toe enkele minuten onbeschikbaar, deels bruikbaar, of een klein deel is geïmpacteerd"},
		{"A small number of users affected, not growing",
			"Een klein aantal gebruikers geïmpacteerd, stijgt niet"},
		{"Data probably not threatened but a potential security risk is assumed",
			"Data waarschijnlijk niet bedreigd maar een potentieel veiligheidsrisico wordt verondersteld"},
	},
	{
		{"The service is now and then unavailable or unusable for a minority, or stable and not degrading",
			"De service is af en toe onbeschikbaar of onbruikbaar voor een minderheid, of eerder stabiel"},
		{"One non-VIP user affected, not growing, or a simple workaround exists",
			"Eén niet-VIP-gebruiker geïmpacteerd, geen stijging, of er is een eenvoudige workaround"},
		{"One non-VIP user affected with no threat to others, or no security/privacy risk identified",
			"Eén niet-VIP-gebruiker geïmpacteerd zonder bedreiging voor anderen, of geen veiligheids- of privacyrisico"},
	},
}

// Assessment is the level each dimension of R4.3 reaches; NoPriority means "not
// affected on that axis".
type Assessment [3]Priority

// Suggest applies R4.3 then R4.2: the priority is the most severe level any dimension
// reaches, then capped to P3 on TNI without a motivation. It returns the priority, the
// dimensions that decided it, and whether the TNI cap lowered it. With no dimension
// assessed it suggests P4, the least severe level.
func Suggest(a Assessment, env Env, motivation string) (p Priority, decisive []Dimension, capped bool) {
	p = NoPriority
	for d, lvl := range a {
		if lvl < P1 || lvl > P4 {
			continue
		}
		switch {
		case p == NoPriority || lvl < p:
			p, decisive = lvl, []Dimension{Dimension(d)}
		case lvl == p:
			decisive = append(decisive, Dimension(d))
		}
	}
	if p == NoPriority {
		p = P4
	}
	capped = CapTNI(p, env, motivation) != p
	return CapTNI(p, env, motivation), decisive, capped
}

// CapTNI applies R4.2: on TNI, without a motivation, P1 and P2 become P3.
func CapTNI(p Priority, env Env, motivation string) Priority {
	if env == TNI && (p == P1 || p == P2) && !hasText(motivation) {
		return P3
	}
	return p
}

func hasText(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return true
		}
	}
	return false
}
