enum RenderBenchmark {
    static func run() throws {
        print("RenderBenchmark: not written yet")
    }
}
