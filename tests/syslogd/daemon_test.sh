#! /usr/bin/env atf-sh
# STUB
atf_test_case stub
stub_body() { atf_skip "not written yet"; }
atf_init_test_cases() { atf_add_test_case stub; }
