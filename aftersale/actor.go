package aftersale

// Actor is who performs an action. The zero Actor is "not set" and is
// refused as input.
type Actor uint8

// The actors.
const (
	ActorBuyer    Actor = iota + 1 // 买家
	ActorMerchant                  // 商家
	ActorPlatform                  // 平台: customer service, arbitration
	ActorSystem                    // 系统: the host's automation: deadlines, payment callbacks, logistics facts
)

var actorNames = [...]names{
	ActorBuyer:    {"buyer", "买家"},
	ActorMerchant: {"merchant", "商家"},
	ActorPlatform: {"platform", "平台"},
	ActorSystem:   {"system", "系统"},
}

// String returns the text form, such as "buyer".
func (a Actor) String() string { return enumString(actorNames[:], a, "Actor") }

// Label returns the Chinese label, such as "买家".
func (a Actor) Label() string { return enumLabel(actorNames[:], a) }

// MarshalText returns the text form; the zero Actor is an error.
func (a Actor) MarshalText() ([]byte, error) { return enumMarshal(actorNames[:], a, "Actor") }

// UnmarshalText parses the text form.
func (a *Actor) UnmarshalText(b []byte) error { return enumUnmarshal(actorNames[:], b, a, "actor") }

// Actors is a set of Actor.
type Actors uint8

// Has reports whether a is in s.
func (s Actors) Has(a Actor) bool { return s&(1<<a) != 0 }

// String lists the actors joined by " or ", such as "buyer or merchant".
func (s Actors) String() string {
	out := ""
	for a := ActorBuyer; a <= ActorSystem; a++ {
		if s.Has(a) {
			if out != "" {
				out += " or "
			}
			out += a.String()
		}
	}
	return out
}
