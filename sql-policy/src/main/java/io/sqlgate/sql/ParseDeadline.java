package io.sqlgate.sql;

import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statements;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Parses with a deadline. JSqlParser backtracks exponentially on some shapes (each nested subquery roughly
 * doubles the time: ten levels, a few hundred characters, take seconds; a dozen take tens of seconds), and
 * a tier parses on a thread other requests need. One shared timer thread raises the parser's own
 * {@code interrupted} flag when the deadline passes; the parser then gives up and the statement is refused,
 * whatever it returned. Nothing is started per call but a timer entry.
 */
final class ParseDeadline {
    static final Duration LIMIT = Duration.ofSeconds(1);
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "sql-parse-deadline");
        thread.setDaemon(true);
        return thread;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private ParseDeadline() {
    }

    static Statements parse(String sql) throws ParseException {
        return parse(sql, System.nanoTime() + LIMIT.toNanos());
    }

    /** @param deadline {@link System#nanoTime()} by which the parse must be done, shared by the parses of one check */
    static Statements parse(String sql, long deadline) throws ParseException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw tooLong();
        }
        CCJSqlParser parser = new CheapErrors(sql).withAllowComplexParsing(false);
        ScheduledFuture<?> alarm = TIMER.schedule(() -> {
            parser.interrupted = true;
        }, remaining, TimeUnit.NANOSECONDS);
        try {
            Statements statements = parser.Statements();
            if (parser.interrupted) {
                throw tooLong();
            }
            return statements;
        } catch (ParseException | RuntimeException e) {
            if (parser.interrupted) {
                throw tooLong();
            }
            throw e;
        } finally {
            alarm.cancel(false);
        }
    }

    /**
     * JSqlParser builds the exception of a syntax error by rescanning every lookahead it recorded, a cost that grows
     * with the square of a long list and never looks at the deadline: 600 values and a stray token took it tens of
     * seconds. The exception here names the token it stopped at, which is all the refusal says, at no cost.
     */
    private static final class CheapErrors extends CCJSqlParser {
        CheapErrors(String sql) {
            super(new StringProvider(sql));
        }

        @Override
        public ParseException generateParseException() {
            Token at = token == null ? null : token.next;
            return new ParseException(at == null || at.image == null || at.image.isEmpty()
                    ? "Encountered the end of the statement where more was expected"
                    : "Encountered unexpected token: \"" + (at.image.length() > 40 ? at.image.substring(0, 40) + "..." : at.image)
                    + "\" at line " + at.beginLine + ", column " + at.beginColumn);
        }
    }

    private static SqlRejectedException tooLong() {
        return new SqlRejectedException("SQL_TOO_COMPLEX", "The SQL took more than " + LIMIT.toMillis()
                + " ms to check; simplify it (fewer nested subqueries or parentheses)");
    }
}
