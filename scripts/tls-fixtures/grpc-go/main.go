// A grpc-go client and server of grpc.testing.TestService (the interop service), to record the
// traffic of an independent gRPC implementation: make_grpcgo_captures.sh builds and runs them.
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"log"
	"net"
	"os"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/credentials"
	_ "google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	pb "google.golang.org/grpc/test/grpc_testing"
)

type server struct {
	pb.UnimplementedTestServiceServer
}

func payload(size int32) *pb.Payload {
	body := bytes.Repeat([]byte("grpc-go "), int(size)/8+1)[:size]
	return &pb.Payload{Type: pb.PayloadType_COMPRESSABLE, Body: body}
}

func (server) EmptyCall(ctx context.Context, _ *pb.Empty) (*pb.Empty, error) {
	grpc.SetHeader(ctx, metadata.Pairs("x-served-by", "grpc-go"))
	return &pb.Empty{}, nil
}

func (server) UnaryCall(ctx context.Context, request *pb.SimpleRequest) (*pb.SimpleResponse, error) {
	if request.Payload != nil && string(request.Payload.Body) == "fail" {
		st := status.New(codes.FailedPrecondition, "the payload asked for a failure")
		st, _ = st.WithDetails(&errdetails.ErrorInfo{Reason: "ASKED_TO_FAIL", Domain: "interop.example", Metadata: map[string]string{"size": fmt.Sprint(request.ResponseSize)}})
		return nil, st.Err()
	}
	if request.Payload != nil && string(request.Payload.Body) == "slow" {
		// Past the client's deadline, so that the client's RST_STREAM ends the call (a handler
		// that returned ctx.Err() would race the client for the outcome).
		time.Sleep(400 * time.Millisecond)
	}
	grpc.SetTrailer(ctx, metadata.Pairs("x-trailer", "unary", "x-bin-bin", "\x00\x01\x02"))
	return &pb.SimpleResponse{Payload: payload(request.ResponseSize), Username: "grpc-go-user"}, nil
}

func (server) StreamingOutputCall(request *pb.StreamingOutputCallRequest, stream pb.TestService_StreamingOutputCallServer) error {
	for _, parameters := range request.ResponseParameters {
		if err := stream.Send(&pb.StreamingOutputCallResponse{Payload: payload(parameters.Size)}); err != nil {
			return err
		}
	}
	return nil
}

func (server) StreamingInputCall(stream pb.TestService_StreamingInputCallServer) error {
	total := int32(0)
	for {
		request, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&pb.StreamingInputCallResponse{AggregatedPayloadSize: total})
		}
		if err != nil {
			return err
		}
		total += int32(len(request.Payload.Body))
	}
}

func (server) FullDuplexCall(stream pb.TestService_FullDuplexCallServer) error {
	for {
		request, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for _, parameters := range request.ResponseParameters {
			if err := stream.Send(&pb.StreamingOutputCallResponse{Payload: payload(parameters.Size)}); err != nil {
				return err
			}
		}
	}
}

func keyLog(path string) io.Writer {
	if path == "" {
		return nil
	}
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0600)
	if err != nil {
		log.Fatal(err)
	}
	return file
}

func tlsVersion(name string) uint16 {
	if name == "1.2" {
		return tls.VersionTLS12
	}
	return tls.VersionTLS13
}

func main() {
	mode := flag.String("mode", "server", "server or client")
	address := flag.String("address", "127.0.0.1:50200", "where the server listens")
	certFile := flag.String("cert", "", "server certificate (PEM): TLS when set")
	keyFile := flag.String("key", "", "server key (PEM)")
	caFile := flag.String("ca", "", "CA certificate for the client (PEM): TLS when set")
	keys := flag.String("keylog", "", "NSS key log file the client appends to")
	version := flag.String("tls", "1.3", "highest TLS version: 1.2 or 1.3")
	lifetime := flag.Duration("lifetime", 30*time.Second, "the server stops gracefully (GOAWAY) after this long")
	stay := flag.Duration("stay", 0, "the client stays connected this long after its calls, or until the server goes away")
	flag.Parse()

	if *mode == "server" {
		listener, err := net.Listen("tcp", *address)
		if err != nil {
			log.Fatal(err)
		}
		var options []grpc.ServerOption
		if *certFile != "" {
			certificate, err := tls.LoadX509KeyPair(*certFile, *keyFile)
			if err != nil {
				log.Fatal(err)
			}
			options = append(options, grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{certificate}, MaxVersion: tlsVersion(*version)})))
		}
		s := grpc.NewServer(options...)
		pb.RegisterTestServiceServer(s, server{})
		go func() { time.Sleep(*lifetime); s.GracefulStop() }()
		fmt.Println("listening")
		s.Serve(listener)
		return
	}

	dialOptions := []grpc.DialOption{grpc.WithBlock()}
	if *caFile != "" {
		pemBytes, err := ioutil.ReadFile(*caFile)
		if err != nil {
			log.Fatal(err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pemBytes)
		config := &tls.Config{RootCAs: pool, ServerName: "localhost", KeyLogWriter: keyLog(*keys), MaxVersion: tlsVersion(*version)}
		if *version == "1.2" {
			config.CipherSuites = []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}
		}
		dialOptions = append(dialOptions, grpc.WithTransportCredentials(credentials.NewTLS(config)))
	} else {
		dialOptions = append(dialOptions, grpc.WithInsecure())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	connection, err := grpc.DialContext(ctx, *address, dialOptions...)
	if err != nil {
		log.Fatal(err)
	}
	defer connection.Close()
	client := pb.NewTestServiceClient(connection)
	outgoing := metadata.AppendToOutgoingContext(context.Background(), "x-client", "grpc-go", "x-trace-bin", "\xde\xad\xbe\xef")

	check := func(what string, err error) {
		fmt.Printf("%s: %v\n", what, status.Code(err))
	}
	_, err = client.EmptyCall(outgoing, &pb.Empty{})
	check("EmptyCall", err)
	_, err = client.UnaryCall(outgoing, &pb.SimpleRequest{ResponseSize: 64, Payload: payload(32), FillUsername: true})
	check("UnaryCall", err)
	_, err = client.UnaryCall(outgoing, &pb.SimpleRequest{ResponseSize: 4096, Payload: payload(4096)}, grpc.UseCompressor("gzip"))
	check("UnaryCall gzip", err)
	_, err = client.UnaryCall(outgoing, &pb.SimpleRequest{ResponseSize: 70000, Payload: payload(100)})
	check("UnaryCall large", err)
	_, err = client.UnaryCall(outgoing, &pb.SimpleRequest{ResponseSize: 7, Payload: &pb.Payload{Body: []byte("fail")}})
	check("UnaryCall fail", err)
	short, cancelShort := context.WithTimeout(outgoing, 200*time.Millisecond)
	_, err = client.UnaryCall(short, &pb.SimpleRequest{ResponseSize: 7, Payload: &pb.Payload{Body: []byte("slow")}})
	cancelShort()
	check("UnaryCall deadline", err)

	output, err := client.StreamingOutputCall(outgoing, &pb.StreamingOutputCallRequest{ResponseParameters: []*pb.ResponseParameters{{Size: 10}, {Size: 20}, {Size: 30}, {Size: 2000}}})
	if err == nil {
		for {
			if _, err = output.Recv(); err != nil {
				break
			}
		}
	}
	if err == io.EOF {
		err = nil
	}
	check("StreamingOutputCall", err)

	input, err := client.StreamingInputCall(outgoing)
	if err == nil {
		for _, size := range []int32{5, 50, 500} {
			input.Send(&pb.StreamingInputCallRequest{Payload: payload(size)})
		}
		_, err = input.CloseAndRecv()
	}
	check("StreamingInputCall", err)

	duplex, err := client.FullDuplexCall(outgoing)
	if err == nil {
		for _, size := range []int32{1, 2, 3} {
			duplex.Send(&pb.StreamingOutputCallRequest{ResponseParameters: []*pb.ResponseParameters{{Size: size * 11}}, Payload: payload(size)})
			if _, err = duplex.Recv(); err != nil {
				break
			}
		}
		duplex.CloseSend()
		if _, err = duplex.Recv(); err == io.EOF {
			err = nil
		}
	}
	check("FullDuplexCall", err)

	// Connected while the server stops gracefully: its GOAWAYs and the ping between them.
	waiting, cancelWaiting := context.WithTimeout(context.Background(), *stay)
	defer cancelWaiting()
	for state := connection.GetState(); state == connectivity.Ready || state == connectivity.Idle; state = connection.GetState() {
		if !connection.WaitForStateChange(waiting, state) {
			break
		}
	}
}
