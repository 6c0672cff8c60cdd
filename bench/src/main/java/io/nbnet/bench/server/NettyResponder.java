package io.nbnet.bench.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * For {@code ./nbnet bench-frames}: the least a Netty server does per frame, the floor of the library
 * nbnet's frame server stands on. One epoll event loop, one handler that skips each complete frame
 * and answers {@code a} from a shared buffer, one flush per read. No limits, no validation beyond the
 * digits: a baseline, not a server (like the C responder beside it).
 * Usage: java -cp nbnet.jar:nbnet-bench.jar io.nbnet.bench.server.NettyResponder PORT
 */
public final class NettyResponder {

  private static final ByteBuf REPLY = Unpooled.unreleasableBuffer(
    Unpooled.directBuffer(11).writeBytes("0000000001a".getBytes(StandardCharsets.US_ASCII)));
  private static final int HEADER_BYTES = 10;

  private NettyResponder() {
  }

  /** Answers every complete frame of a read; the replies of one read go out in one flush. */
  private static final class Responder extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      while (in.readableBytes() >= HEADER_BYTES) {
        int length = 0;
        for (int i = 0; i < HEADER_BYTES; i++) {
          length = length * 10 + in.getByte(in.readerIndex() + i) - '0';
        }
        if (in.readableBytes() < HEADER_BYTES + length) {
          return;
        }
        in.skipBytes(HEADER_BYTES + length);
        ctx.write(REPLY.duplicate());
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
      ctx.flush();
      super.channelReadComplete(ctx);
    }
  }

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    new ServerBootstrap().group(loop).channel(EpollServerSocketChannel.class)
      .childOption(ChannelOption.TCP_NODELAY, true)
      .childHandler(new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel channel) {
          channel.pipeline().addLast(new Responder());
        }
      })
      .bind("127.0.0.1", port).sync();
    System.out.println("netty-responder: listening on 127.0.0.1:" + port);
  }
}
