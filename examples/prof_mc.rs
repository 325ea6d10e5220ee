fn main() {
    let plan = retreat::parse(&retreat::synth::plan(1000, 1)).plan;
    let graph = retreat::graph::PlanGraph::build(&plan);
    let t = std::time::Instant::now();
    let s = retreat::sim::simulate(&plan, &graph, Some(retreat::sim::Settings { runs: 5000, seed: 1 }));
    assert!(s.is_some());
    println!("{:?} per run", t.elapsed() / 5000);
}
