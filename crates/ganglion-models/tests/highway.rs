//! The GNN's linear highway: an untrained GNN forecasts exactly as the linear AR it was
//! given, and one optimiser step moves both the highway and the decoder's correction
//! (weights put in place by hand once trained nothing: burn's `Param::map` keeps the
//! replaced tensor's untrainable state).

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use ganglion_models::RelationalGnnConfig;
use ganglion_models::linear::LinearAr;
use ganglion_models::workload::values;

#[test]
fn an_untrained_highway_gnn_is_its_linear_ar_and_training_moves_it() {
    let _serial = crate::one_at_a_time();
    let device = Device::flex().autodiff();
    let (b, n, h) = (2, 5, 4);
    let ar = LinearAr { coefficients: vec![0.1, -0.2, 0.3, 0.7], intercept: 0.05 };
    let model = RelationalGnnConfig::new(h).init(&device).with_highway(&ar);
    let window = values(b * n * h, 3);
    let x = Tensor::<3>::from_data(TensorData::new(window.clone(), [b, n, h]), &device);
    let ids = Tensor::<2, Int>::zeros([b, n], &device);
    let mask = Tensor::<2>::ones([b, n], &device);
    let stats = Tensor::<4>::from_data(TensorData::new(values(n * n * 3, 1), [1, n, n, 3]), &device);
    let graph = model.infer(stats.clone(), Tensor::ones([1, n], &device));
    let forecast = |m: &ganglion_models::RelationalGnn| -> Vec<f32> {
        m.forecast(x.clone(), ids.clone(), mask.clone(), &graph).into_data().iter::<f32>().collect()
    };
    let before = forecast(&model);
    for (k, got) in before.iter().enumerate() {
        let expected = ar.predict(&window[k * h..(k + 1) * h]);
        assert!((got - expected).abs() < 1e-5, "window-neuron {k}: {got} vs the linear AR's {expected}");
    }

    let target = Tensor::<2>::zeros([b, n], &device);
    let graph = model.infer(stats, Tensor::ones([1, n], &device));
    let loss = model.forecast_loss(x.clone(), ids.clone(), target, mask.clone(), &graph, model.kl_weight());
    let grads = GradientsParams::from_grads(loss.backward(), &model);
    let mut optimizer: ModuleOptimizer = AdamConfig::new().init();
    let stepped = optimizer.step(1e-2, model, grads);
    let graph = stepped.infer(
        Tensor::<4>::from_data(TensorData::new(values(n * n * 3, 1), [1, n, n, 3]), &device),
        Tensor::ones([1, n], &device),
    );
    let after: Vec<f32> = stepped.forecast(x.clone(), ids, mask, &graph).into_data().iter::<f32>().collect();
    let moved = before.iter().zip(&after).map(|(a, c)| (a - c).abs()).fold(0.0f32, f32::max);
    assert!(moved > 1e-3, "one step at 1e-2 moved the forecast by {moved}");
    assert!((stepped.kl_weight() - ganglion_models::gnn::HIGHWAY_KL_WEIGHT).abs() < 1e-12);
}
