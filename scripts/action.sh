#!/usr/bin/env bash
# The GitHub Action's work (action.yml), as plain shell so it runs anywhere:
# lint the plans matching PLANS into one SARIF file, and write a summary of
# each plan's window, steps, rollback deadline and tightest failure point —
# on a pull request, with how those figures moved against the base branch.
#
# Environment (the action sets these from its inputs):
#   PLANS                 space-separated globs, ** allowed (default: **/*.plan.yaml)
#   RETREAT               the retreat binary (default: retreat on PATH)
#   SARIF                 where the SARIF goes (default: retreat.sarif)
#   DENY_WARNINGS         "true": warnings fail the run too
#   BASE_REF              a git ref to compare against (a pull request's base)
#   GITHUB_STEP_SUMMARY   where the Markdown summary goes (default: stdout)
set -u -o pipefail
shopt -s globstar nullglob

RETREAT=${RETREAT:-retreat}
SARIF=${SARIF:-retreat.sarif}
SUMMARY=${GITHUB_STEP_SUMMARY:-/dev/stdout}
read -r -a globs <<< "${PLANS:-**/*.plan.yaml}"

files=()
for g in "${globs[@]}"; do
    for f in $g; do [ -f "$f" ] && files+=("$f"); done
done
if [ ${#files[@]} -eq 0 ]; then
    echo "retreat: no plan matches ${PLANS:-**/*.plan.yaml}" >&2
    exit 2
fi

deny=()
[ "${DENY_WARNINGS:-false}" = "true" ] && deny=(--deny warnings)
"$RETREAT" lint "${files[@]}" --format sarif "${deny[@]}" > "$SARIF"
status=$?
[ $status -ge 2 ] && { echo "retreat: lint could not run (status $status)" >&2; exit $status; }

# One row per plan, from the simulation's JSON (one run is enough: the
# deterministic figures), and the lint counts from its JSON.
clock() { # minutes from the window's start, as HH:MM of the window's clock
    jq -rn --arg start "$1" --argjson m "$2" '
        ($start | capture("T(?<h>[0-9]{2}):(?<mi>[0-9]{2})")) as $t
        | (($t.h | tonumber) * 60 + ($t.mi | tonumber) + ($m | floor)) % 1440
        | "\(. / 60 | floor | tostring | if length < 2 then "0" + . else . end):\(. % 60 | tostring | if length < 2 then "0" + . else . end)"'
}
row() { # FILE -> one Markdown table row
    local f=$1 sim lint
    lint=$("$RETREAT" lint "$f" --format json 2>/dev/null)
    local counts
    counts=$(jq -r '.summary | "\(.errors) errors, \(.warnings) warnings"' <<< "$lint")
    if ! sim=$("$RETREAT" simulate "$f" --format json --runs 1 2>/dev/null) || [ -z "$sim" ]; then
        echo "| \`$f\` | no window | | | | $counts |"
        return
    fi
    local start end done deadline tight
    start=$(jq -r '.window.start' <<< "$sim")
    end=$(jq -r '.window.end' <<< "$sim")
    done=$(clock "$start" "$(jq '.forward.finish_minutes' <<< "$sim")")
    deadline=$(jq -r '.rollback_deadline_minutes // "none"' <<< "$sim")
    [ "$deadline" != none ] && deadline=$(clock "$start" "$deadline")
    tight=$(jq -r '[.failure_points[] | select(.no_way_back | not)] | min_by(.margin_minutes)
        | if . == null then "none" else "\(.step) (\(.margin_minutes) min)" end' <<< "$sim")
    echo "| \`$f\` | $start to $end | $done | $deadline | $tight | $counts |"
}

{
    echo "## Retreat"
    echo
    echo "| Plan | Window | Steps done | Rollback deadline | Tightest point (margin) | Findings |"
    echo "|---|---|---|---|---|---|"
    for f in "${files[@]}"; do row "$f"; done
    if [ -n "${BASE_REF:-}" ]; then
        echo
        echo "### Against \`$BASE_REF\`"
        for f in "${files[@]}"; do
            base=$(mktemp)
            if git show "$BASE_REF:$f" > "$base" 2>/dev/null; then
                echo
                echo "**\`$f\`**"
                echo
                echo '```'
                "$RETREAT" diff "$base" "$f" | sed -n '/^Figures:/,$p' | grep . || echo "(no figure moved)"
                echo '```'
            else
                echo
                echo "**\`$f\`** is new."
            fi
            rm -f "$base"
        done
    fi
} >> "$SUMMARY"
exit $status
