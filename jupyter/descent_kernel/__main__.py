from ipykernel.kernelapp import IPKernelApp

from .kernel import DescentKernel

IPKernelApp.launch_instance(kernel_class=DescentKernel)
