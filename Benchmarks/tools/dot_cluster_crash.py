import random,subprocess,sys
newrank = sys.argv[1]=='1'
crash=0
for seed in range(int(sys.argv[2])):
    r=random.Random(seed)
    n=r.randint(6,40); m=r.randint(n, 3*n); k=r.randint(1,5)
    out=['digraph G {','rankdir=LR;']
    if newrank: out.append('newrank=true;')
    assign={i:r.randrange(-1,k) for i in range(n)}
    for c in range(k):
        members=[i for i in range(n) if assign[i]==c]
        out.append('subgraph cluster_%d { %s }'%(c,' '.join('n%d;'%i for i in members)))
    for e in range(m):
        a=r.randrange(n);b=r.randrange(n)
        lab=(' [%s="l%d\\nline two"]'%(sys.argv[3],e)) if r.random()<0.8 else ''
        out.append('n%d -> n%d%s;'%(a,b,lab))
    out.append('}')
    open('/tmp/fz.gv','w').write('\n'.join(out))
    p=subprocess.run(['./rd','/tmp/fz.gv'],capture_output=True,env={'MALLOC_CHECK_':'3','PATH':'/usr/bin'})
    if p.returncode!=0: crash+=1
print('newrank',newrank,'crashes',crash)
