package io.sqlgate.sql;

import java.util.Set;

/**
 * The functions a statement may call: arithmetic, string, date and time, aggregate, window, JSON and
 * conditional functions that compute from their arguments alone. None reads server or session state
 * ({@code USER()}, {@code DATABASE()}, {@code VERSION()}, {@code CONNECTION_ID()}, {@code LAST_INSERT_ID()},
 * {@code UUID()}), waits or locks ({@code SLEEP}, {@code GET_LOCK}, {@code WSREP_SYNC_WAIT_UPTO_GTID},
 * {@code MASTER_POS_WAIT}), burns CPU on purpose ({@code BENCHMARK}), touches files ({@code LOAD_FILE}), uses
 * sequences ({@code NEXTVAL}) or replication. Every other function, schema-qualified and stored ones
 * included, is refused: a function added to MariaDB tomorrow is refused until it is added here.
 * <p>
 * CAST, CONVERT ... USING, EXTRACT, TRIM, GROUP_CONCAT, MATCH ... AGAINST, CASE and the JSON constructors are
 * syntax of their own, accepted by {@link AstWalk}.
 */
public final class SqlFunctions {
    public static final Set<String> ALLOWED = Set.of(
            // arithmetic
            "abs", "acos", "asin", "atan", "atan2", "bit_count", "ceil", "ceiling", "conv", "cos", "cot", "crc32", "degrees",
            "exp", "floor", "greatest", "least", "ln", "log", "log10", "log2", "mod", "oct", "pi", "pow", "power", "radians",
            "rand", "round", "sign", "sin", "sqrt", "tan", "truncate",
            // string
            "ascii", "bin", "bit_length", "char", "char_length", "character_length", "chr", "concat", "concat_ws", "elt",
            "export_set", "field", "find_in_set", "format", "from_base64", "hex", "insert", "instr", "lcase", "left",
            "length", "locate", "lower", "lpad", "ltrim", "make_set", "md5", "mid", "octet_length", "ord", "quote",
            "regexp_instr", "regexp_replace", "regexp_substr", "repeat", "replace", "reverse", "right", "rpad", "rtrim",
            "sha", "sha1", "sha2", "soundex", "space", "strcmp", "substr", "substring", "substring_index", "to_base64",
            "ucase", "unhex", "upper",
            // date and time
            "adddate", "addtime", "convert_tz", "curdate", "current_date", "current_time", "current_timestamp", "curtime",
            "date", "date_add", "date_format", "date_sub", "datediff", "day", "dayname", "dayofmonth", "dayofweek",
            "dayofyear", "from_days", "from_unixtime", "get_format", "hour", "last_day", "localtime", "localtimestamp",
            "makedate", "maketime", "microsecond", "minute", "month", "monthname", "now", "period_add", "period_diff",
            "quarter", "sec_to_time", "second", "str_to_date", "subdate", "subtime", "sysdate", "time", "time_format",
            "time_to_sec", "timediff", "timestamp", "timestampadd", "timestampdiff", "to_days", "to_seconds",
            "unix_timestamp", "utc_date", "utc_time", "utc_timestamp", "week", "weekday", "weekofyear", "year", "yearweek",
            // aggregate
            "avg", "bit_and", "bit_or", "bit_xor", "count", "max", "min", "std", "stddev", "stddev_pop", "stddev_samp",
            "sum", "var_pop", "var_samp", "variance",
            // window
            "cume_dist", "dense_rank", "first_value", "lag", "last_value", "lead", "nth_value", "ntile", "percent_rank",
            "rank", "row_number",
            // JSON
            "json_array_append", "json_array_insert", "json_compact", "json_contains", "json_contains_path", "json_depth",
            "json_detailed", "json_equals", "json_exists", "json_extract", "json_insert", "json_keys", "json_length",
            "json_loose", "json_merge", "json_merge_patch", "json_merge_preserve", "json_normalize", "json_overlaps",
            "json_query", "json_quote", "json_remove", "json_replace", "json_search", "json_set", "json_type",
            "json_unquote", "json_valid", "json_value",
            // conditional
            "coalesce", "ifnull", "isnull", "nullif", "nvl", "nvl2",
            // the inserted value, in INSERT ... ON DUPLICATE KEY UPDATE c = VALUES(c)
            "values");

    private SqlFunctions() {
    }

    /** @param name lower case, as {@link ParsedStatement#functions()} gives it */
    public static boolean allowed(String name) {
        return ALLOWED.contains(name);
    }
}
