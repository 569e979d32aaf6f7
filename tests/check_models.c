/*
 * check_models.c - the device-model table: built-in copy, files, errors
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jetsam/core/models.h"
#include "suite.h"

static char *
write_tmp(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/jt-models-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

START_TEST(builtin_table_knows_the_corpus_devices)
{
	struct jt_models *m = jt_models_load(NULL, NULL);
	const struct jt_model *e;

	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(jt_models_count(m), 149);
	e = jt_models_find(m, "iPhone12,1");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->name, "iPhone 11");
	ck_assert_str_eq(e->soc, "A13");
	ck_assert_int_eq(e->ram_bytes, 4096LL * 1024 * 1024);
	ck_assert_int_eq(e->page_size_bytes, 16384);
	e = jt_models_find(m, "iPhone7,2");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->page_size_bytes, 4096);
	ck_assert_int_eq(e->ram_bytes, 1024LL * 1024 * 1024);
	e = jt_models_find(m, "iPad2,5");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->ram_bytes, 512LL * 1024 * 1024);
	e = jt_models_find(m, "Watch4,2");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->ram_bytes, 1024LL * 1024 * 1024);
	ck_assert_int_eq(e->page_size_bytes, 16384);
	ck_assert_str_eq(e->board, "");
	jt_models_free(m);
}
END_TEST

START_TEST(unknown_model_is_not_guessed)
{
	struct jt_models *m = jt_models_load(NULL, NULL);

	ck_assert_ptr_null(jt_models_find(m, "iPhone99,9"));
	ck_assert_ptr_null(jt_models_find(m, "iphone12,1"));
	ck_assert_ptr_null(jt_models_find(m, NULL));
	jt_models_free(m);
}
END_TEST

START_TEST(builtin_table_matches_data_devices_csv)
{
	struct jt_models *a = jt_models_load(NULL, NULL);
	struct jt_models *b = jt_models_load("data/devices.csv", NULL);
	size_t i;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(jt_models_count(a), jt_models_count(b));
	for (i = 0; i < jt_models_count(a); i++)
		ck_assert_str_eq(jt_models_at(a, i)->product_type,
				 jt_models_at(b, i)->product_type);
	jt_models_free(a);
	jt_models_free(b);
}
END_TEST

START_TEST(a_bad_ram_value_names_file_line_and_value)
{
	char *p = write_tmp("product_type,name,board,soc,ram_mb,page_size,"
			    "year,max_ios\n\"iPhone1,1\",x,b,s,1024,4096,,\n"
			    "\"iPhone1,2\",x,b,s,lots,4096,,\n");
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_ptr_null(jt_models_load(p, &err));
	ck_assert_int_eq(err.code, JT_EPARSE);
	ck_assert_str_eq(err.source, p);
	ck_assert_int_eq(err.line, 3);
	ck_assert_ptr_nonnull(strstr(err.text, "'lots'"));
	unlink(p);
}
END_TEST

START_TEST(a_missing_column_and_a_duplicate_model_are_errors)
{
	char *p = write_tmp("product_type,name,board,soc,page_size,year,"
			    "max_ios\n");
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_ptr_null(jt_models_load(p, &err));
	ck_assert_ptr_nonnull(strstr(err.text, "missing column 'ram_mb'"));
	unlink(p);
	p = write_tmp("product_type,name,board,soc,ram_mb,page_size,year,"
		      "max_ios\n\"iPhone1,1\",x,b,s,1024,4096,,\n"
		      "\"iPhone1,1\",y,b,s,1024,16384,,\n");
	jt_error_init(&err);
	ck_assert_ptr_null(jt_models_load(p, &err));
	ck_assert_ptr_nonnull(strstr(err.text, "listed twice"));
	unlink(p);
}
END_TEST

START_TEST(a_page_size_that_is_not_a_power_of_two_is_rejected)
{
	char *p = write_tmp("product_type,name,board,soc,ram_mb,page_size,"
			    "year,max_ios\n\"iPhone1,1\",x,b,s,1024,5000,,\n");
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_ptr_null(jt_models_load(p, &err));
	ck_assert_int_eq(err.line, 2);
	ck_assert_ptr_nonnull(strstr(err.text, "page_size '5000'"));
	unlink(p);
}
END_TEST

static Suite *
models_suite(void)
{
	Suite *s = suite_create("models");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, builtin_table_knows_the_corpus_devices);
	tcase_add_test(tc, unknown_model_is_not_guessed);
	tcase_add_test(tc, builtin_table_matches_data_devices_csv);
	tcase_add_test(tc, a_bad_ram_value_names_file_line_and_value);
	tcase_add_test(tc, a_missing_column_and_a_duplicate_model_are_errors);
	tcase_add_test(tc, a_page_size_that_is_not_a_power_of_two_is_rejected);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(models_suite)
