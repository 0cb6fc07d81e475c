/** Help texts, one per command. */

export const MAIN_HELP = `eqlkit: run Elastic EQL queries and detection rules over event files.

Usage:
  eqlkit query '<eql>' [files…]            print the matches of a query
  eqlkit run [rules…] --events <files…>    run rules (default: the bundled ones), print alerts
  eqlkit check [rules…]                    parse and compile rules, report problems
  eqlkit parse '<eql>'                     print the canonical query (or its AST)

Events are NDJSON or one JSON array, optionally gzip-compressed; "-" or no file
reads stdin. Results go to stdout (NDJSON when piped, a table on a terminal);
diagnostics go to stderr.

Run "eqlkit <command> --help" for a command's options.
  --version   print the version
  --help      print this help

Exit codes: 0 success; 1 problems found by check, or a match with --fail-on-match;
2 usage error, invalid query or unreadable event file; 3 bad input under --strict.`;

/** Only for query: rules carry their own fields. */
const FIELD_OPTIONS = `  --timestamp-field <field>   field that orders events (default @timestamp)
  --tiebreaker-field <field>  field that orders equal timestamps
  --category-field <field>    field that holds the event category (default event.category)`;

const EVENT_OPTIONS = `  --mapping <file>            an Elasticsearch mapping (JSON) giving field types
  --reorder-window <duration> hold events this long to sort late arrivals (e.g. 5s)
  --strict                    stop at the first bad line (exit 3)
  --prefilter                 skip, unparsed, lines no query could match (faster;
                              malformed lines among them are counted, not reported)
  --fail-on-match             exit 1 when anything matches
  --format <ndjson|json|table>
  --quiet                     no progress, no per-line diagnostics
  --help`;

export const QUERY_HELP = `Usage: eqlkit query '<eql>' [files…] [options]

Runs one EQL query over events and prints each match (an event, a sequence or
a sample) as it becomes final. Pipes (| head, | tail) apply.

  --size <n>                  the most matches to print (the most recent, as in Elasticsearch)
${FIELD_OPTIONS}
${EVENT_OPTIONS}`;

export const RUN_HELP = `Usage: eqlkit run [rule files, folders or globs…] --events <files…> [options]

Runs detection rules over events in one pass and prints an alert for each
detection. With no rules named, runs the bundled rules.

  --events <files…>           event files (or - for stdin); default stdin
  --size <n>                  the most alerts to print (the first; reading stops there)
${EVENT_OPTIONS}

Rules use their own timestamp, tiebreaker and category fields.`;

export const CHECK_HELP = `Usage: eqlkit check [rule files, folders or globs…] [--json]

Loads, parses and compiles rules and prints each problem with its file, line
and column in the TOML file, and a code frame. Ends with a summary:
"N rules ok, M failed, K not EQL". Exits 1 if any rule failed.

  --mapping <file>   compile against an Elasticsearch mapping
  --json             print a JSON report instead
  --quiet            print only the summary
  --help`;

export const PARSE_HELP = `Usage: eqlkit parse '<eql>' [--ast]

Parses a query and prints it in canonical form, or its AST as JSON with --ast.
An invalid query prints the error with a code frame and exits 2.

  --ast    print the AST
  --help`;
