# The notebook test's logic as a marimo app: the same worm, the same checks, the widget
# wrapped in mo.ui.anywidget. A check cell reads the widget's value, so marimo reruns it
# whenever the page updates the widget; the browser test waits for its "CHECKS" line.
import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo
    from ganglion import Trainer

    from checks import check_bad_file, check_trained
    from synthetic_worm import worm

    activity, names, weights = worm()
    return Trainer, activity, check_bad_file, check_trained, mo, names, weights


@app.cell
def _(Trainer, activity, mo, names, weights):
    trainer = Trainer(activity, rate_hz=2.5, names=names, connectivity=weights, model="gnn", steps=150, seed=1)
    bad = Trainer(b"this is not a recording", name="broken.npy")
    trained, broken = mo.ui.anywidget(trainer), mo.ui.anywidget(bad)
    mo.vstack([trained, broken])
    return bad, broken, trained, trainer


@app.cell
def _(bad, broken, check_bad_file, check_trained, mo, trained, trainer):
    trained.value, broken.value
    mo.md(f"<p id='trained-check'>{check_trained(trainer)}</p><p id='bad-check'>{check_bad_file(bad)}</p>")
    return


if __name__ == "__main__":
    app.run()
