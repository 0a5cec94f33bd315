#include <graphviz/gvc.h>
#include <stdio.h>
#include <stdlib.h>
int main(int c, char**v){ FILE*f=fopen(v[1],"r"); fseek(f,0,2); long n=ftell(f); rewind(f); char*b=malloc(n+1); fread(b,1,n,f); b[n]=0;
 GVC_t*g=gvContext(); Agraph_t*G=agmemread(b); gvLayout(g,G,"dot"); char*r; unsigned int l; gvRenderData(g,G,"svg",&r,&l); gvFreeRenderData(r); gvFreeLayout(g,G); agclose(G); printf("ok %u\n",l); }
