/*
 * suite.h - the main() every Check suite shares
 *
 * Each tests/check_<module>.c defines "Suite *<module>_suite(void)" and
 * ends with JT_CHECK_MAIN(<module>_suite).  Output is Check's normal summary
 * ("100%: Checks: N, Failures: 0, Errors: 0"), which tests/run.sh adds up.
 */
#ifndef JT_TEST_SUITE_H
#define JT_TEST_SUITE_H

#include <check.h>
#include <stdlib.h>

#define JT_CHECK_MAIN(make_suite)                                              \
	int main(void)                                                         \
	{                                                                      \
		SRunner *sr = srunner_create(make_suite());                    \
		int failed;                                                    \
		srunner_run_all(sr, CK_NORMAL);                                \
		failed = srunner_ntests_failed(sr);                            \
		srunner_free(sr);                                              \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;                   \
	}

#endif
