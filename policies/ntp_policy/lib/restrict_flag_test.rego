package ntp_policy.lib.restrict_flag_test

import data.ntp_policy.lib.restrict_flag

test_who_names_the_example_address if {
	restrict_flag.who({"untrusted_example": "203.0.113.1"}, "hosts such as ", "any host") == "hosts such as 203.0.113.1"
}

test_who_falls_back_without_an_example if {
	restrict_flag.who({}, "hosts such as ", "any host") == "any host"
}

test_consequence_depends_on_noquery if {
	restrict_flag.consequence({"flags": []}, "live", "latent") == "live"
	restrict_flag.consequence({"flags": ["noquery"]}, "live", "latent") == "latent"
}
