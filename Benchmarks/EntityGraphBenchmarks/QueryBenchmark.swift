enum QueryBenchmark {
    static func run() throws {
        print("QueryBenchmark: not written yet")
    }
}
