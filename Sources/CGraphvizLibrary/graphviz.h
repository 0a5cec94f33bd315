// Graphviz's own headers, found through pkg-config (libgvc). Nothing of ours: the shim that Swift
// calls is the CGraphviz target (include/shim.h, shim.c).
#ifndef ENTITYGRAPH_CGRAPHVIZLIBRARY_H
#define ENTITYGRAPH_CGRAPHVIZLIBRARY_H
#include <graphviz/graphviz_version.h>
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>
#endif
