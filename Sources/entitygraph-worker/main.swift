// The layout worker executable: LayoutWorkerPool starts it and talks to it over fd 3. Apps that
// render with EntityGraphviz name this product in their target's dependencies so that SwiftPM builds
// it beside them, where LayoutWorkerPool.standard finds it.
import EntityGraphviz

LayoutWorker.serve()
