//! Every integration test of ganglion-train in one test binary: each linked burn, and
//! linking them was the slowest part of a cold build. Tests that train hold
//! [`common::one_run_at_a_time`], since they share the device's generator.

mod common;
mod experiment;
mod learning;
mod long_memory;
mod saved_before;
mod study;
mod trainer;
