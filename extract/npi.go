package extract

// ValidNPI reports whether s is a well-formed National Provider Identifier:
// exactly 10 ASCII digits, the first 1 or 2, the last a Luhn check digit
// computed over "80840" followed by the first nine digits (the NPI is an
// ISO 7812 card number with prefix 80840). ValidNPI does not strip spaces or
// dashes; the caller passes the digits as read. 1234567893 is valid.
func ValidNPI(s string) bool {
	if len(s) != 10 || (s[0] != '1' && s[0] != '2') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	// Luhn over "80840" + s[:9], check digit s[9]. Walking from the right
	// of the payload, every second digit starting with the rightmost one is
	// doubled.
	payload := "80840" + s[:9]
	sum := 0
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if (len(payload)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10-sum%10)%10 == int(s[9]-'0')
}
