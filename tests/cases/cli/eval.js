// args: eval const{port1,port2}=new(MessageChannel);port2.onmessage=(e)=>{console.log(e.data);port2.close()};port1.postMessage(await(Promise.resolve(6*7)))
