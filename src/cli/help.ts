/** Help texts, one per command. */

export const MAIN_HELP = `eqlkit: run Elastic EQL queries and detection rules over event files.

Usage:
  eqlkit query '<eql>' [events…]              print the matches of a query
  eqlkit run [rules…] --events <events…>      run rules (default: the bundled ones), print alerts
  eqlkit explain <rule> --events <events…>    why a rule (or a query) did or did not match
  eqlkit check [rules…]                       parse and compile rules, report problems
  eqlkit test [tests…]                        run rule tests (*.test.toml), report each case
  eqlkit parse '<eql>'                        print the canonical query (or its AST)
  eqlkit synth <rule file or '<eql>'>         print events that make it fire (and near misses)
  eqlkit help <command>                       a command's options

Events are NDJSON or one JSON array, optionally gzip-compressed: files,
folders (every .ndjson, .jsonl, .json and their .gz below), quoted globs such
as "hosts/*.ndjson", or "-" for stdin (the default). Results go to stdout
(a table on a terminal, NDJSON otherwise); diagnostics go to stderr.

  --version   print the version
  --help      print this help

Exit codes:
  0  success
  1  problems found by check, a failed rule test, a match with --fail-on-match,
     or no events synth could build
  2  usage error, invalid query, an unreadable event file, or a rule test file that cannot run
  3  a bad line under --strict
  4  an internal error
  5  some events could not be evaluated (bad JSON, no readable timestamp, …)
  6  events on stdin arrived later than --reorder-window allows and were not evaluated`;

/** Only for query: rules carry their own fields. */
const FIELD_OPTIONS = `  --timestamp-field <field>   field that orders events (default @timestamp)
  --tiebreaker-field <field>  field that orders equal timestamps
  --category-field <field>    field that holds the event category (default event.category)`;

const EVENT_OPTIONS = `  --mapping <file>            field types: an Elasticsearch mapping, or what
                              GET <index>/_mapping returns (several indices merged)
  --reorder-window <duration> stdin only: hold events this long to place late arrivals (e.g. 5s)
  --sort-memory <size>        event text held in memory to order files (default 256MB,
                              up to about three times that in heap); beyond it,
                              sorted runs go to the OS temp folder, needing about
                              the size of the unsorted input, removed at the end
  --max-line-size <size>      the longest line or JSON array element read (default
                              16MB); a longer one is reported, not read
  --strict                    stop at the first bad line (exit 3)
  --prefilter                 skip, unparsed, lines no query could match (faster;
                              malformed lines among them are counted, not reported)
  --fail-on-match             exit 1 when anything matches
  -F, --format <name>         ndjson, json, table or csv
      --fields <a,b,c>        table and csv columns (item names or event fields)
  -o, --output <file>         write results to a file instead of stdout
  -n, --size <n>              the most results to print
      --max-errors <n>        diagnostics to print before counting the rest (default 20)
  -q, --quiet                 no progress, no diagnostics, no summary
  -h, --help`;

const ORDER_NOTE = `Files are read in full and their events taken in time order, whatever the
order of their lines and however they are split across files: the answer is
that of one search over all of them. Sorted files are merged as they are read
again; unsorted ones are sorted within --sort-memory. stdin alone is a live
stream: events are matched as they arrive.`;

export const QUERY_HELP = `Usage: eqlkit query '<eql>' [events…] [options]
       eqlkit query -f <query file> [events…] [options]

Runs one EQL query over events and prints each match (an event, a sequence or
a sample). Pipes (| head, | tail) apply; --size keeps the most recent matches,
as Elasticsearch's size does.

  -f, --file <file>           read the query from a file
${FIELD_OPTIONS}
${EVENT_OPTIONS}

${ORDER_NOTE}`;

export const RUN_HELP = `Usage: eqlkit run [rule files, folders or globs…] --events <events…> [options]

Runs detection rules over events in one pass and prints an alert for each
detection, then a summary on stderr: alerts by rule and severity, the top
hosts, events per second. With no rules named, runs the bundled rules.

  --events <events…>          event files, folders or globs (or - for stdin); default stdin
  --min-severity <level>      only rules of this severity or above (low, medium, high, critical)
  --tag <tag>                 only rules with this tag (repeatable: any of them)
  --no-building-blocks        leave out building-block rules
  "!<glob>"                   leave out rule files matching the glob, e.g. "!**/_deprecated/**"
${EVENT_OPTIONS}

Rules use their own timestamp, tiebreaker and category fields.

${ORDER_NOTE}`;

export const CHECK_HELP = `Usage: eqlkit check [rule files, folders or globs…] [--json]

Loads, parses and compiles rules and prints each problem with its file, line
and column in the TOML file, and a code frame. Ends with a summary:
"N rules ok, M failed, K not EQL". Exits 1 if any rule failed.

  --mapping <file>   compile against an Elasticsearch mapping
  --json             print a JSON report instead
  -q, --quiet        print only the summary
  -h, --help`;

export const TEST_HELP = `Usage: eqlkit test [test files, folders or globs…] [options]

Runs rule tests: each *.test.toml file holds cases of events and the alerts
its rule must give for them (see docs/testing-rules.md). Each case runs as
"eqlkit run" would run the rule over its events; the report shows each case,
and for a failure the expected and found alerts, event by event. With no
paths, runs the bundled rules' tests. Exits 1 when a case fails, 2 when a
path names no test file or a test file (or its rule) cannot be run.

  --rules-dir <dir>      start rule = "…" paths from this folder instead of
                         each test file's own (a test file without rule tests
                         the rule of the same name beside it)
  --mapping <file>       compile the rules against an Elasticsearch mapping
  -F, --format <name>    text (default), json, or junit (JUnit XML for CI)
  -o, --output <file>    write the report to a file; failures and the summary
                         still go to stderr
  -q, --quiet            text: only failures, errors and the summary
  -h, --help`;

export const PARSE_HELP = `Usage: eqlkit parse '<eql>' [--ast]

Parses a query and prints it in canonical form, or its AST as JSON with --ast.
An invalid query prints the error with a code frame and exits 2.

  --ast    print the AST
  -h, --help`;

export const SYNTH_HELP = `Usage: eqlkit synth <rule file> [options]
       eqlkit synth '<eql>' [options]

Prints events on which the rule or query fires (a witness), as NDJSON in time
order: ECS events with @timestamp, event.category and the fields the
conditions ask for, join keys equal across stages, times within the maxspan.
Every set printed is checked with the engine: a witness fires, a near miss
does not. A query that cannot fire (or that defeats the generator) prints
why, naming the clause, and exits 1.

  --near-miss                 also print near misses: one event set for each thing
                              the query asks for (a condition of a stage, its
                              category, a join key, the maxspan, the runs, no
                              until or missing event), breaking just that. Each
                              set follows a line {"synth":"near-miss","label":…}
                              naming what it breaks (the witness follows
                              {"synth":"witness",…})
  --count <n>                 n distinct witnesses (default 1), one after another
                              in time
  --seed <n>                  seeds every choice: the same seed gives the same
                              events (default 1)
  --base <event.json>         an event (a JSON object) whose fields are kept
                              where the query does not ask for others
  --start <time>              the first event's time (default 2025-01-01T09:00:00Z)
  -F, --format <name>         ndjson (default) or json: one document with
                              "witnesses" and, with --near-miss, "near_misses"
${FIELD_OPTIONS}
  --mapping <file>            field types, as for query
  -h, --help

A file ending in .toml is a rule (which carries its own fields); another file
holds a query; anything else is the query itself.`;
export const EXPLAIN_HELP = `Usage: eqlkit explain <rule file> --events <events…> [--event N | --key VALUE] [options]
       eqlkit explain '<eql>' --events <events…> [options]
       eqlkit explain -f <query file> --events <events…> [options]

Explains why a rule or query did or did not match the events: its verdict
(a rule's as eqlkit run gives it) and why.

- An event query: for each event, its condition as a tree, each clause
  with ✓ or ✗, its place in the query (line:column) and the values the event
  holds for it.
- A sequence: for each join key, how many stages it filled in order and with
  which events, why it went no further (no event matched the next stage,
  maxspan exceeded, an until event, a missing-event stage matched, state
  dropped after the rule's look-back, the pipes), and the events with the
  key closest to filling the next stage, with the clauses they failed.
- A sample: for each join key, the events matching each stage, or the
  closest candidates of a stage none matches.

  --events <events…>          event files, folders or globs (or - for stdin); default stdin
  --event <N | FILE:LINE>     only the event on line N of the event file (FILE:LINE with several)
  --key <value>               only this join key: its value, or a JSON list of the values
                              of a key of several fields, such as '["host-1", 4]'
  --candidates <n>            candidate events listed for a stage not filled (default 3)
  --limit <n>                 events or keys explained (default 20); the rest are counted
  -F, --format <name>         text (default) or json (the library's explain() result)
  -f, --file <file>           read the query from a file
  --mapping <file>            field types: an Elasticsearch mapping
${FIELD_OPTIONS}
                              (a query only: rules carry their own fields)
  --max-errors <n>            bad lines to print before counting the rest (default 20)
  -h, --help

Events are read into memory whole, in the order given; explain takes them as
one search over all of them, as run does.`;

/** For `eqlkit help <command>`. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  query: QUERY_HELP,
  run: RUN_HELP,
  check: CHECK_HELP,
  test: TEST_HELP,
  parse: PARSE_HELP,
  synth: SYNTH_HELP,
  explain: EXPLAIN_HELP,
};
