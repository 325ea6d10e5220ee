// A plan of any size for the end-to-end tests: `retreat_core::synth::plan`
// written again (the same text for the same size and seed: a test checks it
// against the app's large example), so a test can make a plan bigger than
// the one the app offers.
const MASK = (1n << 64n) - 1n;

function mix(seed) {
  let state = BigInt(seed);
  const next = () => {
    state = (state + 0x9e3779b97f4a7c15n) & MASK;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  };
  return (n) => (n === 0 ? 0 : Number(next() % BigInt(n)));
}

export function plan(steps, seed = 7) {
  const below = mix(seed);
  const hours = Math.min(Math.max(Math.floor(steps / 20), 6), 24 * 300);
  let out = `title: Synthetic plan of ${steps} steps
purpose: Benchmark
reason: Benchmark
current_state: Before
future_state: After
monitoring: Dashboards
window: {start: 2026-12-05T22:00:00Z, duration: ${hours}h}
rollback:
  decide: 10m
  announce: Tell the service desk we are rolling back
  verify: {do: Re-run the baseline checks and compare, takes: 20m}
  confidence: 0.9
approvals: [{by: Change board}]
steps:
  - id: security-review
    phase: prep
    kind: check
    tags: [security]
    do: Review accounts and firewall rules for the change
    takes: 30m
  - id: notice
    phase: prep
    kind: notify
    do: Tell the users about the downtime
    takes: 5m
`;
  const resources = Math.max(Math.floor(steps / 100), 20);
  for (let i = 0; i < steps; i++) {
    out += `  - id: s${i}\n    owner: Team ${i % 7}\n`;
    if (i > 0) {
      const count = 1 + below(3);
      const after = [...new Set(Array.from({ length: count }, () => i - 1 - below(Math.min(i, 10))))].sort((a, b) => a - b);
      out += `    after: [${after.map((a) => `s${a}`).join(', ')}]\n`;
    } else {
      out += '    after: []\n';
    }
    const takes = 1 + below(20);
    const kind = i === 0 || i % 5 === 4 ? 'check' : i % 10 === 3 ? 'backup' : 'change';
    out += `    kind: ${kind}\n`;
    out += i % 3 === 0 ? `    takes: [${takes}m, ${takes + 2}m, ${takes * 3 + 5}m]\n` : `    takes: ${takes}m\n`;
    if (kind === 'check') out += `    do: Check the state of component ${i} against the baseline\n`;
    else if (kind === 'backup') out += `    backs_up: [data-${i}]\n    do: Back up the data of component ${i} to the share\n`;
    else {
      const c = i % resources;
      out += `    do: Reconfigure component ${c} for the new release\n    sets: { c${c}: new }\n`;
      out += `    undo: { do: Restore component ${c} to its old configuration, takes: ${1 + below(10)}m, sets: { c${c}: absent } }\n`;
    }
  }
  return out;
}
