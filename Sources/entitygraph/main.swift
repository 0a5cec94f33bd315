print("entitygraph")
